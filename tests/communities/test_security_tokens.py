"""Secret addresses and signed links: the calendar feed, RSVP links and invitations can't
be forged, outlive what they stand for, or change anything on a plain visit."""

import pytest
from django.core import signing

from communities.circles.services.reminders import RSVP_SALT, calendar_feed_of, make_rsvp_token
from communities.core.models.communities import Visibility
from communities.core.services.joining import (
    INVITATION_SALT,
    create_invitation_link,
    revoke_invitation,
    signed_invitation,
)
from communities.models import MeetingParticipation, Membership, User
from tests.communities.factories import CommunityFactory, UserFactory, make_circle, new_community

pytestmark = [pytest.mark.django_db]


def test_a_deactivated_accounts_calendar_feed_stops(client):
    circle = make_circle(CommunityFactory(), members=4)
    person = circle.meetings.order_by("sequence").first().facilitator
    token = calendar_feed_of(person).token
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_an_rsvp_link_changes_nothing_on_a_visit_and_needs_csrf_to_confirm(client):
    from django.test import Client

    circle = make_circle(CommunityFactory(), members=4)
    meeting = circle.meetings.order_by("sequence").first()
    person = meeting.timekeeper
    url = f"/circles/rsvp/{make_rsvp_token(user_id=person.pk, meeting_id=meeting.pk, rsvp='no')}/"
    assert client.get(url).status_code == 200
    assert not MeetingParticipation.objects.filter(meeting=meeting, rsvp="no").exists()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url).status_code == 403
    assert not MeetingParticipation.objects.filter(meeting=meeting, rsvp="no").exists()


def test_a_forged_rsvp_link_is_refused(client):
    circle = make_circle(CommunityFactory(), members=4)
    meeting = circle.meetings.order_by("sequence").first()
    forged = signing.dumps({"u": meeting.timekeeper_id, "m": meeting.pk, "r": "no"}, salt="x")
    assert client.post(f"/circles/rsvp/{forged}/").status_code == 400
    other_salt = signing.dumps(
        {"u": meeting.timekeeper_id, "m": meeting.pk, "r": "no"}, salt=INVITATION_SALT
    )
    assert client.post(f"/circles/rsvp/{other_salt}/").status_code == 400
    assert RSVP_SALT != INVITATION_SALT
    assert not MeetingParticipation.objects.filter(meeting=meeting, rsvp="no").exists()


def test_a_revoked_invitation_cannot_be_replayed(client):
    manager = UserFactory()
    community = new_community(manager=manager, visibility=Visibility.PRIVATE)
    invitation = create_invitation_link(
        actor=manager, community=community, expires_in_days=7, max_uses=5
    )
    link = f"/invite/{signed_invitation(invitation)}/"
    revoke_invitation(actor=manager, invitation=invitation)
    newcomer = UserFactory()
    client.force_login(newcomer)
    response = client.post(link, {"agreed_to_guidelines": "on"})
    assert response.status_code == 410
    assert community.name not in response.content.decode()
    assert not Membership.objects.filter(user=newcomer, community=community).exists()
