"""Health snapshots and stage proposals at scale on PostgreSQL. Run with `make bench`.

The target is 1,000 communities, 100,000 members and 1,000,000 posts in under 60 s on two
cores. By default the bench builds a tenth of that (100 communities, 10,000 members, 100,000
posts) and extrapolates the time linearly, printing `BENCH snapshot_extrapolated 1`; set
HEALTH_BENCH_SCALE=1 to build the whole thing.
"""

import datetime as dt
import os
import random
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.health.services import take_snapshots
from communities.models import (
    Community,
    HealthSnapshot,
    Membership,
    MembershipStateChange,
    Post,
    Thread,
    User,
)
from communities.public import MembershipStatus, Role

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db]

SCALE = float(os.environ.get("HEALTH_BENCH_SCALE", "0.1"))
COMMUNITIES = round(1000 * SCALE)
MEMBERS = round(100_000 * SCALE)
POSTS = round(1_000_000 * SCALE)
BATCH = 100
# Posts spread over half a year (the span of the dashboard), a sixth of them in the
# snapshot's 30-day window.
WINDOW_DAYS = 182


def build(rng: random.Random) -> list[int]:
    now = timezone.now()
    users = User.objects.bulk_create(
        User(username=f"bench{n}", email=f"bench{n}@example.org", password="!")
        for n in range(MEMBERS)
    )
    communities = Community.objects.bulk_create(
        Community(
            name=f"Bench community {n}",
            slug=f"bench-{n}",
            purpose="Benchmarking.",
            kind="practice",
            visibility="open",
        )
        for n in range(COMMUNITIES)
    )
    # Community 0 is the largest: a tenth of everyone and of every post.
    members_of: dict[int, list[User]] = {}
    rows = []
    for index, user in enumerate(users):
        community = communities[0] if index % 10 == 0 else communities[index % COMMUNITIES]
        members_of.setdefault(community.pk, []).append(user)
        rows.append(
            Membership(
                user=user,
                community=community,
                status=MembershipStatus.ACTIVE,
                role=Role.MANAGER if len(members_of[community.pk]) == 1 else Role.MEMBER,
            )
        )
    rows = Membership.objects.bulk_create(rows, batch_size=5000)
    Membership.objects.update(joined_at=now - dt.timedelta(days=200))
    # A tenth of the memberships have a logged change (one who left and came back).
    MembershipStateChange.objects.bulk_create(
        (
            MembershipStateChange(
                membership=membership,
                changed_at=now - dt.timedelta(days=rng.randrange(1, 200)),
                status_before=MembershipStatus.LEFT,
                role_before=Role.MEMBER,
                status_after=MembershipStatus.ACTIVE,
                role_after=membership.role,
            )
            for membership in rows[::10]
        ),
        batch_size=5000,
    )

    def moment():
        return now - dt.timedelta(seconds=rng.randrange(WINDOW_DAYS * 86400))

    threads = []
    for n in range(POSTS // 5):
        community = communities[0] if n % 10 == 0 else communities[n % COMMUNITIES]
        threads.append(
            Thread(
                community=community,
                author=rng.choice(members_of[community.pk]),
                kind="question" if n % 2 else "discussion",
                title=f"Thread {n}",
                body="Body.",
                is_anonymous=n % 20 == 1,
                created_at=moment(),
            )
        )
    threads = Thread.objects.bulk_create(threads, batch_size=5000)
    Post.objects.bulk_create(
        (
            Post(
                thread=thread,
                author=rng.choice(members_of[thread.community_id]),
                body="Reply.",
                created_at=thread.created_at + dt.timedelta(hours=rng.randrange(1, 72)),
            )
            for thread in threads
            for _ in range(4)
        ),
        batch_size=5000,
    )
    # 24 weeks of history so the stage engine has something to read.
    today = now.date()
    HealthSnapshot.objects.bulk_create(
        (
            HealthSnapshot(
                community=community,
                taken_on=today - dt.timedelta(weeks=week),
                members=100 + week,
                active_members=40 + week,
                threads_week=10 + week,
                replies_week=40,
            )
            for community in communities
            for week in range(1, 25)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return [c.pk for c in communities]


def queries_for(ids: list[int], day: dt.date) -> int:
    connection.queries_log.clear()  # a full log (9,000 entries) would capture nothing
    with CaptureQueriesContext(connection) as captured:
        take_snapshots(community_ids=ids, day=day)
    return len(captured.captured_queries)


def test_snapshots_and_dashboard_at_scale(client):
    rng = random.Random(13)
    started = time.perf_counter()
    ids = build(rng)
    built = time.perf_counter() - started
    day = timezone.now().date()

    started = time.perf_counter()
    for start in range(0, len(ids), BATCH):
        take_snapshots(community_ids=ids[start : start + BATCH], day=day)
    elapsed = time.perf_counter() - started
    assert HealthSnapshot.objects.filter(taken_on=day).count() == len(ids)

    # Retaking the day: the same reads and upsert; the two proposal writes happen only when
    # a proposal changes (at most 2 more queries, whatever the batch size).
    small = queries_for(ids[1:3], day)
    large = queries_for(ids[:BATCH], day)
    assert small == large
    assert queries_for(ids[:BATCH], day - dt.timedelta(days=1)) <= large + 2

    largest = Community.objects.get(pk=ids[0])
    manager = Membership.objects.get(community=largest, role=Role.MANAGER).user
    User.objects.filter(pk=manager.pk).update(is_staff=True)  # staff see every dashboard
    client.force_login(manager)
    url = reverse("health:dashboard", args=[largest.slug])
    client.get(url)
    # The largest community's dashboard costs the queries of a small one (give or take the
    # counts asked only when a list of waiting people runs over what the page shows).
    smallest = reverse("health:dashboard", args=[Community.objects.get(pk=ids[1]).slug])
    client.get(smallest)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as small_page:
        client.get(smallest)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as large_page:
        client.get(url)
    # (captured_queries reads the live log: take the counts now)
    small_queries, dashboard_queries = len(small_page), len(large_page)
    assert small_queries > 10
    assert dashboard_queries <= small_queries + 2
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200

    extrapolated = SCALE < 1
    total = elapsed / SCALE
    print(
        f"\nhealth bench: built {COMMUNITIES:,} communities, {MEMBERS:,} members and "
        f"{POSTS:,} posts in {built:.0f}s; snapshots took {elapsed:.1f}s"
        + (f" (x{1 / SCALE:.0f} for the full size)" if extrapolated else "")
    )
    print(f"BENCH snapshot_seconds_1000_communities {total:.1f}")
    if extrapolated:
        print("BENCH snapshot_extrapolated 1")
    print(f"BENCH snapshot_queries_per_batch_small {small}")
    print(f"BENCH snapshot_queries_per_batch_large {large}")
    print(f"BENCH health_dashboard_ms {min(timings) * 1000:.0f}")
    print(
        f"BENCH health_dashboard_queries {dashboard_queries} (a small community's: {small_queries})"
    )
    assert total < 60
