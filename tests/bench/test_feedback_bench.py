"""Peer review at size. Run with `make bench`; prints BENCH lines.

- allocation_seconds_2000x3: allocating 2,000 submissions, 3 reviewers each, with circle
  conflicts (pure function, no database).
- round_overview_ms_500: the owner's overview of a round with 500 submissions and 1,500
  reviews; round_overview_queries_5 / _500: its SQL queries with 5 and with 500 submissions.
"""

import random
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import User
from feedback.allocation import allocate
from feedback.models import Phase, Review, ReviewStatus, Round, Submission, SubmissionVersion
from tests.communities.factories import UserFactory, new_community
from tests.feedback.factories import make_round

pytestmark = [pytest.mark.bench]


def test_allocation_2000x3_with_conflicts():
    rng = random.Random(11)
    n = 2000
    authors = {f"s{i}": i for i in range(n)}
    circle_of = {i: rng.randrange(n // 6) for i in range(n)}
    members: dict[int, list[int]] = {}
    for person, circle in circle_of.items():
        members.setdefault(circle, []).append(person)
    conflicts = {(a, b) for group in members.values() for a in group for b in group if a != b}
    start = time.perf_counter()
    plan = allocate(authors, list(range(n)), 3, conflicts=conflicts, seed=5)
    elapsed = time.perf_counter() - start
    assert all(len(reviewers) == 3 for reviewers in plan.values())
    print(f"BENCH allocation_seconds_2000x3 {elapsed:.3f}")
    assert elapsed < 2


def _round_of(owner, community, n: int) -> Round:
    round_ = make_round(community, owner, title=f"Round of {n}", reviewers_per_submission=3)
    Round.objects.filter(pk=round_.pk).update(phase=Phase.REVIEW)
    people = User.objects.bulk_create(
        User(username=f"r{n}-{i}", email=f"r{n}-{i}@example.org", display_name=f"Author {i}")
        for i in range(n)
    )
    submissions = Submission.objects.bulk_create(
        Submission(round=round_, author=person, number=i + 1, version_count=1)
        for i, person in enumerate(people)
    )
    versions = SubmissionVersion.objects.bulk_create(
        SubmissionVersion(submission=s, number=1, kind="original", body="Text", body_html="Text")
        for s in submissions
    )
    plan = allocate({s.pk: s.author_id for s in submissions}, [p.pk for p in people], 3)
    by_pk = {v.submission_id: v for v in versions}
    now = timezone.now()
    Review.objects.bulk_create(
        [
            Review(
                round=round_,
                submission_id=sid,
                version=by_pk[sid],
                reviewer_id=reviewer,
                status=ReviewStatus.SUBMITTED,
                due_at=now,
                total_points=3,
            )
            for sid, reviewers in plan.items()
            for reviewer in reviewers
        ],
        batch_size=500,
    )
    return round_


@pytest.mark.django_db
def test_round_overview_500(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    owner = UserFactory()
    community = new_community(manager=owner)
    small, large = _round_of(owner, community, 5), _round_of(owner, community, 500)
    assert Review.objects.filter(round=large).count() == 1500
    client = Client()
    client.force_login(owner)
    counts = {}
    for label, round_ in (("5", small), ("500", large)):
        url = reverse("feedback:round-overview", args=[round_.pk])
        client.get(url)  # warm caches and templates
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200
        counts[label] = len(captured)
        if label == "500":
            print(f"BENCH round_overview_ms_500 {elapsed * 1000:.0f}")
    print(f"BENCH round_overview_queries_5 {counts['5']}")
    print(f"BENCH round_overview_queries_500 {counts['500']}")
    assert counts["5"] == counts["500"]
