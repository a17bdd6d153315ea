"""Search over 10,000 threads on PostgreSQL. Run with `make bench`; prints its figures."""

import random
import time

import pytest
from django.db import connection
from wagtail.search.backends import get_search_backend

from communities.discussions.selectors.threads import search_threads, threads_in_order
from communities.models import Post, Thread
from tests.communities.factories import CommunityFactory, make_member

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db]

THREADS = 10_000
WORDS = [
    "facilitation",
    "retrospective",
    "onboarding",
    "mentoring",
    "workshop",
    "remote",
    "hybrid",
    "agenda",
    "timebox",
    "feedback",
    "rubric",
    "volunteer",
    "newsletter",
    "moderation",
    "guideline",
    "welcome",
    "circle",
    "cadence",
    "notes",
    "conflict",
    "trust",
    "energy",
    "silence",
    "icebreaker",
    "harvest",
    "wiki",
    "pattern",
    "practice",
    "reflection",
    "goal",
    "budget",
    "funding",
    "event",
    "survey",
    "interview",
    "research",
    "prototype",
    "backlog",
    "sprint",
    "kanban",
    "coaching",
]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def test_search_over_ten_thousand_threads(settings):
    rng = random.Random(42)
    communities = [CommunityFactory() for _ in range(5)]
    authors = [make_member(community) for community in communities]
    threads = Thread.objects.bulk_create(
        Thread(
            community=communities[n % 5],
            author=authors[n % 5],
            kind="question" if n % 2 else "discussion",
            title=_text(rng, 6).capitalize(),
            body=_text(rng, 60),
        )
        for n in range(THREADS)
    )
    Post.objects.bulk_create(
        Post(thread=thread, author=authors[0], body=_text(rng, 30)) for thread in threads[::4]
    )
    started = time.perf_counter()
    get_search_backend().add_bulk(Thread, threads)
    indexed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    viewer = authors[0]
    timings, found = [], 0
    for query in ("facilitation retrospective", "icebreaker silence", "kanban coaching budget"):
        started = time.perf_counter()
        results = search_threads(viewer=viewer, query=query)
        found = results.count()
        rows = threads_in_order(viewer, results[:20])
        timings.append(time.perf_counter() - started)
        assert rows
    print(
        f"\nsearch bench: {THREADS:,} threads indexed in {indexed:.1f}s; "
        f"first page of a search (count + 20 rows) took "
        f"{', '.join(f'{t * 1000:.0f} ms' for t in timings)}; last query matched {found:,}"
    )
