"""Search and replies at 1,000,000 posts on PostgreSQL. Run with `make bench`; prints its figures.

The posts are written with COPY (the GIN index is dropped and the reply-lexeme triggers are off
for the load, and both are caught up after it, as an operator restoring a dump would), in
20,000 threads of five open communities. Marker
words give queries of known selectivity: a rare term (20 posts), a 1% term, a 10% term, and
a two-word query. Each search is timed as the search page makes it (ranked ids, then the 20
rows of the first page); the floor is the bare full-text match of the same query on the same
rows (every matching thread id from GIN indexes on the raw title-and-body and reply vectors,
no visibility, no ranking, no rows); the site itself searches one document index per thread.
"""

import io
import random
import statistics
import time

import pytest
from django.db import connection
from django.utils import timezone

from communities.discussions import search
from communities.discussions.selectors.threads import search_threads, threads_in_order
from communities.discussions.services.posts import reply
from communities.models import Membership, Post, Thread
from tests.communities.factories import CommunityFactory, make_member

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db]

POSTS = 1_000_000
THREADS = 20_000
RUNS = 20
WORDS = [
    "facilitation", "retrospective", "onboarding", "mentoring", "workshop", "remote", "hybrid",
    "agenda", "timebox", "feedback", "rubric", "volunteer", "newsletter", "moderation",
    "guideline", "welcome", "circle", "cadence", "notes", "conflict", "trust", "energy",
    "silence", "icebreaker", "harvest", "wiki", "pattern", "practice", "reflection", "goal",
    "budget", "funding", "event", "survey", "interview", "research", "prototype", "backlog",
    "sprint", "kanban", "coaching",
]  # fmt: skip
QUERIES = {
    "rare": "zygote",
    "1pct": "quasar",
    "two_words": "quasar lantern",
    "10pct": "nebula",
}


def _body(rng: random.Random, n: int) -> str:
    words = rng.choices(WORDS, k=24)
    if n % 50_000 == 7:
        words.append("zygote")
    if n % 100 == 3:
        words.append("quasar")
    if n % 10 == 1:
        words.append("nebula")
    if n % 20 == 3:
        words.append("lantern")
    return " ".join(words)


def _p95(samples: list[float]) -> float:
    return round(statistics.quantiles(samples, n=20)[-1] * 1000, 2)


def _time(fn, runs: int = RUNS) -> list[float]:
    fn()  # warm the caches once, as a live site's would be
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def _reply_ms(author, thread) -> float:
    samples = _time(lambda: reply(author=author, thread=thread, body="One more idea."), runs=10)
    return round(statistics.median(samples) * 1000, 2)


def _copy_posts(threads: list[int], author_id: int, count: int, rng: random.Random) -> None:
    now = timezone.now().isoformat()
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS communities_post_search_gin")
        # A restore, not a million replies: the per-row triggers are off for the load and
        # every thread's reply lexemes are computed once after it.
        search.set_replies_triggers(enabled=False)
        sql = (
            "COPY communities_post (thread_id, author_id, body, body_html, is_hidden, "
            "vote_count, thanks_count, created_at) FROM STDIN"
        )
        chunk = 100_000
        for start in range(0, count, chunk):
            buffer = io.StringIO()
            for n in range(start, min(start + chunk, count)):
                body = _body(rng, n)
                buffer.write(
                    f"{threads[n % len(threads)]}\t{author_id}\t{body}\t<p>{body}</p>\t"
                    f"f\t{n % 3}\t0\t{now}\n"
                )
            with cursor.connection.cursor().copy(sql) as copy:
                copy.write(buffer.getvalue())
        search.set_replies_triggers(enabled=True)
        search.rebuild_replies_vectors()
        # Run the deferred foreign-key checks of the load now: an index can't be built
        # on a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "CREATE INDEX communities_post_search_gin ON communities_post "
            "USING gin (search_vector) WITH (fastupdate = off)"
        )
        # The floor's own index on the raw title-and-body vectors (search doesn't use it).
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS bench_thread_search_gin ON communities_thread "
            "USING gin (search_vector)"
        )
        cursor.execute("ANALYZE")


def _floor(query: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT id FROM communities_thread "
            "WHERE search_vector @@ websearch_to_tsquery('english', %s) "
            "UNION SELECT thread_id FROM communities_post "
            "WHERE search_vector @@ websearch_to_tsquery('english', %s)) AS matches",
            [query, query],
        )
        cursor.fetchone()


def build(rng: random.Random, reply_ms=None):
    """The data set: 5 open communities, 20,000 threads, 1,000,000 posts. Returns the viewer
    (a member of all five) and, when `reply_ms` is given, the reply times at 1k and 1M posts."""
    communities = [CommunityFactory() for _ in range(5)]
    authors = [make_member(community) for community in communities]
    viewer = authors[0]
    for community in communities[1:]:
        make_member(community, user=viewer)
    # Members of long standing: the new-member limits do not apply to them.
    Membership.objects.update(joined_at=timezone.now() - timezone.timedelta(days=365))
    threads = Thread.objects.bulk_create(
        (
            Thread(
                community=communities[n % 5],
                author=authors[n % 5],
                kind="question" if n % 2 else "discussion",
                title=" ".join(rng.choices(WORDS, k=6)).capitalize(),
                body=_body(rng, n + 13),
            )
            for n in range(THREADS)
        ),
        batch_size=5000,
    )
    thread_ids = [thread.pk for thread in threads]
    target = threads[0]

    _copy_posts(thread_ids, authors[0].pk, 1_000, rng)
    reply_small = _reply_ms(authors[0], target) if reply_ms else None
    started = time.perf_counter()
    _copy_posts(thread_ids, authors[0].pk, POSTS - Post.objects.count(), rng)
    built = time.perf_counter() - started
    print(f"\nsearch bench: {Post.objects.count():,} posts built in {built:.0f}s")
    reply_large = _reply_ms(authors[0], target) if reply_ms else None
    return viewer, reply_small, reply_large


def test_search_and_replies_at_a_million_posts(settings, monkeypatch):
    # As a web process with persistent connections (DB_CONN_MAX_AGE): hot statements prepared.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    viewer, reply_small, reply_large = build(random.Random(42), reply_ms=True)
    for name, query in QUERIES.items():

        def first_page(query=query, name=name):
            hits = search_threads(viewer=viewer, query=query)
            rows = threads_in_order(viewer, hits[:20])
            assert rows or name == "two_words"

        print(f"BENCH search_p95_ms_{name} {_p95(_time(first_page))}")
        if name != "10pct":
            print(f"BENCH search_floor_p95_ms_{name} {_p95(_time(lambda q=query: _floor(q)))}")
    print(f"BENCH reply_ms_at_1k_posts {reply_small}")
    print(f"BENCH reply_ms_at_1m_posts {reply_large}")
