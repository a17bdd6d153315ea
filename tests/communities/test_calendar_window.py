"""The calendar feed carries the past 90 days and the future, not a circle's whole history;
the circle page loads its upcoming meetings and the last ten past ones."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from communities.circles.selectors import circle_page_meetings
from communities.circles.services.reminders import calendar_feed_of
from tests.communities.factories import CommunityFactory, make_circle

pytestmark = [pytest.mark.django_db]


def _uids(client, user) -> set[str]:
    token = calendar_feed_of(user).token
    response = client.get(reverse("communities:calendar-feed", kwargs={"token": token}))
    return {str(e["uid"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}


def test_the_feed_keeps_the_past_ninety_days_and_the_future(client):
    circle = make_circle(CommunityFactory(), members=4)
    old, recent, *upcoming = list(circle.meetings.order_by("sequence"))
    now = timezone.now()
    type(old).objects.filter(pk=old.pk).update(starts_at=now - datetime.timedelta(days=91))
    type(old).objects.filter(pk=recent.pk).update(starts_at=now - datetime.timedelta(days=89))
    uids = _uids(client, old.facilitator)
    assert f"circle-meeting-{old.pk}@trellis" not in uids
    assert f"circle-meeting-{recent.pk}@trellis" in uids
    assert {f"circle-meeting-{m.pk}@trellis" for m in upcoming} <= uids


def test_the_circle_page_takes_upcoming_and_the_last_past_meetings(client):
    circle = make_circle(CommunityFactory(), members=4)
    meetings = list(circle.meetings.order_by("sequence"))
    now = timezone.now()
    for n, meeting in enumerate(meetings[:3]):
        type(meeting).objects.filter(pk=meeting.pk).update(
            starts_at=now - datetime.timedelta(days=30 - n)
        )
    upcoming, past = circle_page_meetings(circle, past_limit=2)
    assert [m.pk for m in past] == [meetings[2].pk, meetings[1].pk]
    assert [m.pk for m in upcoming] == [m.pk for m in meetings[3:]]
