"""Mentoring reacts to communities: the community page lists programmes, a newcomer gets a
buddy at once, a departing member's relationships pause."""

import pytest
from django.core import mail
from django.urls import reverse

from communities.public import Visibility
from mentoring.models import MentorProfile, Pairing, PairingStatus
from mentoring.services import respond
from tests.communities.factories import UserFactory, add_member, new_community
from tests.mentoring.factories import active_pair, make_mentor, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_community_page_lists_its_programmes(client):
    programme = make_programme(name="Data mentoring")
    page = client.get(reverse("communities:community-detail", args=[programme.community.slug]))
    assert reverse("mentoring:programme-detail", args=[programme.pk]) in page.content.decode()


def test_a_private_community_page_shows_nothing_to_outsiders(client):
    community = new_community(visibility=Visibility.PRIVATE)
    make_programme(community, name="Secret mentoring")
    client.force_login(UserFactory())
    response = client.get(reverse("communities:community-detail", args=[community.slug]))
    assert "Secret mentoring" not in response.content.decode()


def test_a_newcomer_gets_a_buddy_with_room_at_once_and_a_checklist(
    django_capture_on_commit_callbacks,
):
    programme = make_programme(kind="buddy", name="Welcome buddies")
    full = make_mentor(programme, capacity=1, timezone_name="UTC")
    make_mentor(programme, capacity=1, topics=["sql"], timezone_name="Asia/Tokyo")
    paris = make_mentor(programme, capacity=1, topics=["sql"], timezone_name="Europe/Paris")
    busy = Pairing.objects.create(
        programme=programme, mentor=full, mentee=_request_for(programme), status="proposed"
    )
    from mentoring.services import approve_proposal
    from tests.communities.factories import manager_of

    approve_proposal(actor=manager_of(programme.community), pairing=busy)
    newcomer = UserFactory(timezone="Europe/London")
    with django_capture_on_commit_callbacks(execute=True):
        add_member(programme.community, newcomer)
    pairing = Pairing.objects.get(mentee__user=newcomer)
    assert pairing.status == PairingStatus.OFFERED
    # The UTC buddy is full and Tokyo's hours don't overlap London's: Paris it is.
    assert pairing.mentor_id == paris.pk
    assert any("Meet your onboarding buddy" in m.subject for m in mail.outbox)
    respond(actor=pairing.mentor.user, pairing=pairing, accept=True)
    pairing = respond(actor=newcomer, pairing=pairing, accept=True)
    assert pairing.goals.count() == 4
    assert (pairing.ends_on - pairing.started_on).days == 90


def test_no_buddy_is_proposed_without_overlapping_hours(django_capture_on_commit_callbacks):
    programme = make_programme(kind="buddy", name="Welcome buddies")
    make_mentor(programme, capacity=3, timezone_name="Pacific/Auckland")
    with django_capture_on_commit_callbacks(execute=True):
        add_member(programme.community, UserFactory(timezone="Europe/London"))
    assert not Pairing.objects.exists()


def _request_for(programme):
    from tests.mentoring.factories import make_mentee

    return make_mentee(programme)


def test_leaving_the_community_pauses_relationships(client, django_capture_on_commit_callbacks):
    pairing = active_pair()
    mentee = pairing.mentee.user
    client.force_login(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("communities:community-leave", args=[pairing.programme.community.slug])
        )
    assert response.status_code == 302
    assert Pairing.objects.get(pk=pairing.pk).status == PairingStatus.PAUSED


def test_a_member_who_leaves_loses_pending_offers_and_frees_the_place(
    client, django_capture_on_commit_callbacks
):
    programme = make_programme(matching_mode="mentee")
    mentor = make_mentor(programme)
    from mentoring.services import request_mentor
    from tests.mentoring.factories import make_mentee

    mentee = make_mentee(programme)
    pairing = request_mentor(actor=mentee.user, programme=programme, mentor=mentor)
    client.force_login(mentee.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("communities:community-leave", args=[programme.community.slug]))
    assert Pairing.objects.get(pk=pairing.pk).status == PairingStatus.WITHDRAWN
    assert MentorProfile.objects.get(pk=mentor.pk).seats_taken == 0
