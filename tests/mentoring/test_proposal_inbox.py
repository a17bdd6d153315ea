"""Matching proposals wait for a manager's review: the programme's other managers find them
on their notifications page, once per run, and nobody else does."""

import pytest

from communities.models import Notification
from communities.public import Role
from mentoring.services import run_matching
from tests.communities.factories import UserFactory, add_member, manager_of
from tests.mentoring.factories import make_mentee, make_mentor, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_other_managers_hear_of_a_runs_proposals_and_nobody_else():
    programme = make_programme()
    community = programme.community
    manager = manager_of(community)
    co_manager = add_member(community, role=Role.MANAGER)
    moderator = add_member(community, role=Role.MODERATOR)
    member = add_member(community)
    staff = UserFactory(is_staff=True)
    mentors = [make_mentor(programme, topics=["sql"]) for _ in range(2)]
    mentees = [make_mentee(programme, topics=["sql"]) for _ in range(3)]

    proposals = run_matching(actor=manager, programme=programme)

    notices = list(Notification.objects.filter(event__startswith="mentoring:run:"))
    assert [n.recipient for n in notices] == [co_manager]
    (notice,) = notices
    assert notice.event == f"mentoring:run:{min(p.pk for p in proposals)}"
    assert (
        notice.message
        == f"Data mentoring: {len(proposals)} mentoring matches wait for your review."
    )
    assert notice.url == f"/mentoring/p/{programme.pk}/proposals/"
    assert notice.actor == manager
    # Who is paired with whom stays on the review page.
    for person in [*(m.user for m in mentors), *(m.user for m in mentees)]:
        assert person.public_name not in notice.message
        assert not Notification.objects.filter(recipient=person).exists()
    for person in (manager, moderator, member, staff):
        assert not Notification.objects.filter(recipient=person).exists()


def test_a_run_again_is_a_new_notice_and_a_run_without_proposals_none():
    programme = make_programme()
    community = programme.community
    manager = manager_of(community)
    co_manager = add_member(community, role=Role.MANAGER)
    assert run_matching(actor=manager, programme=programme) == []
    assert not Notification.objects.exists()
    make_mentor(programme)
    make_mentee(programme)
    run_matching(actor=manager, programme=programme)
    run_matching(actor=co_manager, programme=programme)
    events = list(Notification.objects.order_by("pk").values_list("recipient", "message"))
    assert events == [
        (co_manager.pk, "Data mentoring: 1 mentoring match waits for your review."),
        (manager.pk, "Data mentoring: 1 mentoring match waits for your review."),
    ]
