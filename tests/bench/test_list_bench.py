"""Server time of the list pages at 100 and at 10,000 rows, in one process on PostgreSQL:
the thread list (10,000 threads with 20,000 replies in one community, 100 in another; a
thread a minute, so the community page's rising stars find a week of posts, rolled up by
their job as the hourly beat would have), the member directory (10,000 members and 100)
and the community directory (100 communities, then 10,000). Each is the median wall time
of a request through Django's test client for a signed-in member (database included),
measured interleaved in the same run; the goal is 10,000 within 1.5x of 100. Run with
`make bench`; BENCH_SLOW_QUERIES=1 also prints the slowest queries of each page at 10,000
rows, BENCH_ROUNDS=n changes the 41 rounds.
"""

import os
import random
import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.core.models.communities import (
    Community,
    CommunityKind,
    Membership,
    MembershipStatus,
    Visibility,
)
from communities.discussions.rendering import body_html
from communities.discussions.services import counters
from communities.discussions.tasks import roll_up_all_contributions
from communities.models import Post, Thread, User
from tests.communities.factories import add_member, new_community

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db]

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "41"))


def _threads(community, author, count: int, rng: random.Random) -> list[Thread]:
    now = timezone.now()
    kinds = ["question", "discussion"]
    return Thread.objects.bulk_create(
        (
            Thread(
                community=community,
                author=author,
                kind=kinds[n % 2],
                title=f"Thread {n} about {rng.choice(['agendas', 'retros', 'timeboxes'])}",
                body="How do you run it?",
                body_html=body_html("How do you run it?"),
                last_activity_at=now - timezone.timedelta(minutes=n),
                created_at=now - timezone.timedelta(minutes=n),
            )
            for n in range(count)
        ),
        batch_size=2000,
    )


def _replies(threads, authors, per_thread: int) -> None:
    # Each reply a little after its thread (never in the future), so the community page's
    # rising stars find 30 days of posts the way a live community has them: rolled up by
    # the hourly job, all but the last few minutes.
    now = timezone.now()
    Post.objects.bulk_create(
        (
            Post(
                thread=thread,
                author=authors[n % len(authors)],
                body="We timebox it.",
                body_html=body_html("We timebox it."),
                vote_count=n % 3,
                created_at=min(now, thread.created_at + timezone.timedelta(seconds=20 * (n + 1))),
            )
            for thread in threads
            for n in range(per_thread)
        ),
        batch_size=5000,
    )


def _members(community, count: int, prefix: str) -> None:
    users = User.objects.bulk_create(
        (
            User(username=f"{prefix}{n}", email=f"{prefix}{n}@example.org", display_name=f"P {n}")
            for n in range(count)
        ),
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        (
            Membership(user=user, community=community, status=MembershipStatus.ACTIVE)
            for user in users
        ),
        batch_size=2000,
    )


def _communities(count: int, start: int) -> None:
    Community.objects.bulk_create(
        (
            Community(
                name=f"Practice {n:05d}",
                slug=f"practice-{n}",
                purpose="Practitioners helping each other.",
                kind=CommunityKind.PRACTICE,
                visibility=Visibility.OPEN,
            )
            for n in range(start, start + count)
        ),
        batch_size=2000,
    )


def _median_ms(client: Client, paths: list[str]) -> dict[str, float]:
    """Median wall time per path, the paths taken in turn so noise falls on all alike."""
    times: dict[str, list[float]] = {path: [] for path in paths}
    for path in paths:  # warm up
        assert client.get(path).status_code == 200, path
    for _ in range(ROUNDS):
        for path in paths:
            start = time.perf_counter()
            response = client.get(path)
            times[path].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, path
    return {path: statistics.median(values) for path, values in times.items()}


def _slow_queries(client: Client, path: str) -> None:
    if not os.environ.get("BENCH_SLOW_QUERIES"):
        return
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    print(f"-- {path}: {len(captured)} queries; the slowest:")
    for query in sorted(captured, key=lambda q: -float(q["time"]))[:3]:
        print(f"  {float(query['time']) * 1000:.1f} ms  {query['sql'][:600]}")


def _report(name: str, small: float, big: float) -> None:
    print(f"BENCH {name}_ms_100 {small:.1f}")
    print(f"BENCH {name}_ms_10000 {big:.1f}")
    print(f"BENCH {name}_ratio_10000_to_100 {big / small:.2f}")


def test_list_pages_at_100_and_10000_rows(settings):
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    rng = random.Random(7)
    big = new_community(name="Big community", slug="big")
    small = new_community(name="Small community", slug="small")
    viewer = add_member(big)
    add_member(small, viewer)
    authors = [add_member(big) for _ in range(5)]
    for author in authors:
        add_member(small, author)
    _replies(_threads(big, authors[0], 10_000, rng), authors, 2)
    _replies(_threads(small, authors[0], 100, rng), authors, 2)
    counters.recount()  # bulk_create bypasses the services that keep them
    _members(big, 10_000, "big")
    _members(small, 100, "small")
    _communities(100 - Community.objects.count(), start=0)
    roll_up_all_contributions()  # what the hourly beat job has done on a live site
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(viewer)

    def url(name: str, community) -> str:
        return reverse(name, args=[community.slug])

    paths = {
        "thread_list": (url("communities:thread-list", small), url("communities:thread-list", big)),
        "thread_list_by_votes": (
            url("communities:thread-list", small) + "?sort=votes",
            url("communities:thread-list", big) + "?sort=votes",
        ),
        "thread_list_unanswered": (
            url("communities:thread-list", small) + "?status=unanswered",
            url("communities:thread-list", big) + "?status=unanswered",
        ),
        "community_page": (
            url("communities:community-detail", small),
            url("communities:community-detail", big),
        ),
        "member_directory": (
            url("communities:member-list", small),
            url("communities:member-list", big),
        ),
    }
    medians = _median_ms(client, [path for pair in paths.values() for path in pair])
    for name, (small_path, big_path) in paths.items():
        _report(name, medians[small_path], medians[big_path])
        _slow_queries(client, big_path)

    directory = reverse("communities:community-list")
    at_100 = _median_ms(client, [directory])[directory]
    _communities(9_900, start=100)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    at_10000 = _median_ms(client, [directory])[directory]
    _slow_queries(client, directory)
    _report("community_directory", at_100, at_10000)
