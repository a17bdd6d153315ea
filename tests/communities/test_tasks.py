import time

import pytest
from django.db import connections

from communities.core.models.communities import MembershipStatus
from communities.models import Community, Membership
from communities.tasks import refresh_all_member_counts, refresh_member_count
from tests.communities.factories import CommunityFactory, UserFactory


@pytest.mark.django_db
def test_refresh_member_count_counts_active_members_only_and_is_idempotent():
    community = CommunityFactory()
    Membership.objects.create(user=UserFactory(), community=community, status="active")
    Membership.objects.create(user=UserFactory(), community=community, status="pending")
    assert refresh_member_count(community.pk) == 1
    assert refresh_member_count(community.pk) == 1
    community.refresh_from_db()
    assert community.member_count == 1


@pytest.mark.django_db
def test_the_periodic_job_refreshes_every_community():
    first, second = CommunityFactory(), CommunityFactory()
    Membership.objects.create(user=UserFactory(), community=second, status="active")
    assert refresh_all_member_counts() == 2
    assert Community.objects.get(pk=second.pk).member_count == 1
    assert Community.objects.get(pk=first.pk).member_count == 0


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_task_through_redis(settings):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    community = CommunityFactory()
    Membership.objects.create(
        user=UserFactory(), community=community, status=MembershipStatus.ACTIVE
    )
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            refresh_member_count.delay(community.pk)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if Community.objects.get(pk=community.pk).member_count == 1:
                    break
                time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True
        connections.close_all()
    assert Community.objects.get(pk=community.pk).member_count == 1
