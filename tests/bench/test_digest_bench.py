"""Weekly digests for 10,000 members (`DIGEST_BENCH_MEMBERS=100000` for the full size) in
200 communities on PostgreSQL, sent by 2 worker processes to Django's locmem email backend,
extrapolated to 100,000 members when fewer were sent.

Run with `make bench` (DATABASE_URL must point at PostgreSQL); prints its figures.
"""

import multiprocessing
import os
import random
import resource
import time
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.digests import schedule, selectors, services
from communities.models import Community, Membership, Post, Tag, Thread, User
from communities.public import MembershipStatus

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MEMBERS = int(os.environ.get("DIGEST_BENCH_MEMBERS", "10000"))
COMMUNITIES = 200
COMMUNITIES_PER_MEMBER = 2
THREADS_PER_COMMUNITY = 10
BATCH = 100
PROCESSES = 2
TARGET = 100_000


def build_site() -> list[int]:
    rng = random.Random(7)
    tags = Tag.objects.bulk_create(Tag(name=f"bench-topic-{n}") for n in range(20))
    communities = Community.objects.bulk_create(
        Community(
            name=f"Bench community {n}",
            slug=f"bench-{n}",
            purpose="Benchmarks.",
            kind="practice",
            visibility="open",
            is_chatham_house=n % 10 == 0,
        )
        for n in range(COMMUNITIES)
    )
    users = User.objects.bulk_create(
        User(
            username=f"bench{n}",
            email=f"bench{n}@example.org",
            display_name=f"Bench Person {n}",
            password="!",
            digest_frequency="weekly",
        )
        for n in range(MEMBERS)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    Membership.objects.bulk_create(
        Membership(
            user=user,
            community=communities[(n * 7 + k * 31) % COMMUNITIES],
            status=MembershipStatus.ACTIVE,
        )
        for n, user in enumerate(users)
        for k in range(COMMUNITIES_PER_MEMBER)
    )
    User.expertise.through.objects.bulk_create(
        User.expertise.through(user_id=user.pk, tag_id=tags[n % len(tags)].pk)
        for n, user in enumerate(users)
    )
    now = timezone.now()
    threads = Thread.objects.bulk_create(
        Thread(
            community=community,
            author=users[rng.randrange(MEMBERS)],
            kind="question" if t % 3 == 0 else "discussion",
            title=f"Bench thread {t} in {community.slug}",
            body="How do you keep a remote retrospective lively? " * 5,
            is_anonymous=t % 9 == 0,
            last_activity_at=now,
            created_at=now,
        )
        for community in communities
        for t in range(THREADS_PER_COMMUNITY)
    )
    Thread.tags.through.objects.bulk_create(
        Thread.tags.through(thread_id=thread.pk, tag_id=tags[n % len(tags)].pk)
        for n, thread in enumerate(threads)
    )
    Post.objects.bulk_create(
        Post(
            thread=thread,
            author=users[rng.randrange(MEMBERS)],
            body="We start with a silent round and a timebox.",
            vote_count=rng.randrange(5),
        )
        for thread in threads
        if thread.kind == "discussion"
        for _ in range(2)
    )
    return [user.pk for user in users]


def _send(batches, period, results):
    connections.close_all()  # a fresh connection in this process
    sent = 0
    for member_ids in batches:
        result = services.send_digest_batch(
            kind="weekly", period=period, member_ids=member_ids, claim_token=uuid.uuid4().hex
        )
        sent += result.sent
    connections.close_all()
    results.put(sent)


def test_weekly_digests_for_ten_thousand_members(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    member_ids = build_site()
    now = timezone.now()

    def queries(ids):
        with CaptureQueriesContext(connection) as reads:
            selectors.digest_batch(kind="weekly", member_ids=ids, now=now)
        with CaptureQueriesContext(connection) as whole:
            result = services.send_digest_batch(
                kind="weekly", period="bench-q", member_ids=ids, claim_token="q"
            )
        return len(reads), len(whole), result.sent

    reads_10, whole_10, sent_10 = queries(member_ids[:10])
    reads_100, whole_100, sent_100 = queries(member_ids[10:110])

    # Batches as the hourly job cuts them: members grouped by community.
    (period, due), *_ = schedule.due_digest_members(kind="weekly", now=now, force=True).items()
    batches = [due[i : i + BATCH] for i in range(0, len(due), BATCH)]
    connections.close_all()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    started = time.perf_counter()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    processes = [
        context.Process(target=_send, args=(batches[n::PROCESSES], period, results))
        for n in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    sent = sum(results.get(timeout=3600) for _ in processes)
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - started
    per_second = sent / elapsed
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = (cpu_after.ru_utime - cpu_before.ru_utime) + (
        cpu_after.ru_stime - cpu_before.ru_stime
    )

    print(f"BENCH digest_members {MEMBERS}")
    print(f"BENCH digest_sent {sent}")
    print(f"BENCH digest_seconds_for_{MEMBERS // 1000}k {elapsed:.1f}")
    print(f"BENCH digests_per_second {per_second:.1f}")
    print(f"BENCH digest_minutes_for_100k {TARGET / per_second / 60:.1f}")
    print(f"BENCH digest_extrapolated {int(MEMBERS < TARGET)}")
    # What the two worker processes used of the CPU (PostgreSQL's own work not included):
    # on a shared machine this, not the wall time, says what uncontended cores would do.
    print(f"BENCH digest_worker_cpu_ms_per_digest {cpu_seconds / sent * 1000:.1f}")
    print(f"BENCH digest_queries_per_batch_10 {reads_10}")
    print(f"BENCH digest_queries_per_batch_100 {reads_100}")
    print(f"BENCH digest_queries_per_batch_10_with_sent_marks {whole_10} ({sent_10} sent)")
    print(f"BENCH digest_queries_per_batch_100_with_sent_marks {whole_100} ({sent_100} sent)")
    assert reads_10 == reads_100
    assert sent > MEMBERS * 0.9
