"""Every query of one reply, EXPLAIN ANALYZEd beside a site of REPLY_BENCH_POSTS posts
(300,000 by default): prints each plan's time and any sequential scan, and the reply's time
at the small and the large size.

Run with `make bench` (PostgreSQL). Built with bulk_create in a couple of minutes.
"""

import os
import random
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.discussions.rendering import body_html
from communities.discussions.services.posts import reply
from communities.models import Post, Thread
from tests.communities.factories import add_member, make_thread, new_community

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db]

WORDS = ["facilitation", "retrospective", "onboarding", "agenda", "timebox", "feedback"]


def _site(community, authors, posts: int, rng) -> None:
    now = timezone.now()
    threads = Thread.objects.bulk_create(
        (
            Thread(
                community=community,
                author=authors[n % len(authors)],
                kind="question",
                title=f"Thread {n}",
                body="body",
                body_html="<p>body</p>",
                created_at=now - timezone.timedelta(minutes=n),
                last_activity_at=now - timezone.timedelta(minutes=n),
            )
            for n in range(max(posts // 20, 1))
        ),
        batch_size=5000,
    )
    text = " ".join(rng.choice(WORDS) for _ in range(30))
    Post.objects.bulk_create(
        (
            Post(
                thread=threads[n % len(threads)],
                author=authors[n % len(authors)],
                body=text,
                body_html=body_html(text),
                created_at=now - timezone.timedelta(minutes=n),
            )
            for n in range(posts)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _timed_reply(author, thread) -> float:
    start = time.perf_counter()
    reply(author=author, thread=thread, body="We start with a silent round.")
    return (time.perf_counter() - start) * 1000


def test_reply_plans_at_size(settings):
    settings.TRELLIS_NEW_MEMBER_REPLIES_PER_DAY = 10_000
    rng = random.Random(3)
    community = new_community()
    authors = [add_member(community) for _ in range(20)]
    replier = authors[1]
    thread = make_thread(author=authors[0], community=community)
    small = sorted(_timed_reply(replier, thread) for _ in range(5))[2]
    # The worst case of the search bench: one prolific member wrote every post and replies
    # in their own busy thread.
    _site(community, [replier], int(os.environ.get("REPLY_BENCH_POSTS", 300_000)), rng)
    big_thread = Thread.objects.filter(community=community, title="Thread 0").get()
    _timed_reply(replier, big_thread)
    large = sorted(_timed_reply(replier, big_thread) for _ in range(5))[2]
    with CaptureQueriesContext(connection) as queries:
        reply(author=replier, thread=big_thread, body="And a timebox.")
    slow = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if sql.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT TEXT) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            ms = float(plan.rsplit("Execution Time: ", 1)[1].split(" ")[0])
            if ms > 1 or "Seq Scan" in plan:
                slow.append((ms, sql, plan))
    for ms, sql, plan in sorted(slow, reverse=True)[:8]:
        print(f"--- {ms:.1f} ms\n{sql[:600]}\n{plan}\n")
    print(f"BENCH reply_ms_small {small:.1f}")
    print(f"BENCH reply_ms_large {large:.1f}")
