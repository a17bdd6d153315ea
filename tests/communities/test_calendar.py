"""The calendar feed of a member's upcoming meetings, behind a secret address."""

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.circles.services.circles import generate_meetings
from communities.circles.services.reminders import calendar_feed_of
from communities.core.models.communities import MembershipStatus
from communities.models import CalendarFeed
from tests.communities.factories import CommunityFactory, make_circle

pytestmark = [pytest.mark.django_db]


def feed_events(client, user):
    token = calendar_feed_of(user).token
    response = client.get(reverse("communities:calendar-feed", kwargs={"token": token}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


def test_the_feed_lists_upcoming_meetings_with_the_role_held(client):
    community = CommunityFactory()
    circle = make_circle(community, members=4)
    first = circle.meetings.order_by("sequence").first()
    events = feed_events(client, first.facilitator)
    assert len(events) == 4
    by_uid = {str(e["uid"]): e for e in events}
    event = by_uid[f"circle-meeting-{first.pk}@trellis"]
    assert "Your role: Facilitator." in str(event["description"])
    assert event.decoded("dtstart") == first.starts_at


def test_an_unknown_token_is_not_found(client):
    assert client.get("/calendar/nothing-here.ics").status_code == 404


def test_a_new_address_retires_the_old_one(client):
    community = CommunityFactory()
    circle = make_circle(community, members=1)
    user = circle.created_by
    old = calendar_feed_of(user).token
    client.force_login(user)
    page = client.get(reverse("communities:calendar"))
    assert old in page.content.decode()
    client.post(reverse("communities:calendar-regenerate"))
    new = CalendarFeed.objects.get(user=user).token
    assert new != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_meetings_of_a_community_one_was_banned_from_leave_the_feed(client):
    community = CommunityFactory()
    circle = make_circle(community, members=4)
    member = circle.memberships.last().user
    member.memberships.update(status=MembershipStatus.BANNED)
    assert feed_events(client, member) == []


def _feed_queries(client, meetings: int) -> int:
    community = CommunityFactory()
    circle = make_circle(community, members=4)
    generate_meetings(circle=circle, horizon=meetings)
    token = calendar_feed_of(circle.created_by).token
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/calendar/{token}.ics").status_code == 200
    return len(queries)


def test_the_feed_keeps_its_query_count_with_5_and_50_meetings(client):
    assert _feed_queries(client, 5) == _feed_queries(client, 50) == 2
