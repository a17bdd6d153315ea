"""The circle jobs: planning meetings ahead and reminding members, each exactly once."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from communities.circles.models import Rsvp
from communities.core.models.communities import MembershipStatus
from communities.models import CircleMeeting, MeetingParticipation
from communities.tasks import generate_upcoming_meetings, send_meeting_reminders
from config.celery import app
from tests.communities.factories import CommunityFactory, make_circle

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def community():
    return CommunityFactory()


def soon(circle, hours=3) -> CircleMeeting:
    meeting = circle.meetings.order_by("sequence").first()
    CircleMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() + dt.timedelta(hours=hours)
    )
    return meeting


def test_both_jobs_are_on_the_beat_schedule():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {
        "communities.tasks.generate_upcoming_meetings",
        "communities.tasks.send_meeting_reminders",
    } <= tasks


def test_planning_ahead_covers_active_circles_only_and_is_idempotent(community):
    active = make_circle(community, members=4)
    forming = make_circle(community, members=2, name="Still forming")
    CircleMeeting.objects.filter(circle=active, sequence__lte=2).update(
        starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    assert generate_upcoming_meetings() == 1
    assert active.meetings.filter(starts_at__gt=timezone.now()).count() == 4
    assert active.meetings.count() == 6
    generate_upcoming_meetings()
    assert active.meetings.count() == 6
    assert not forming.meetings.exists()


def test_each_member_gets_one_reminder_with_yes_and_no_links(community, mailoutbox):
    circle = make_circle(community, members=4)
    meeting = soon(circle)
    later = circle.meetings.order_by("sequence")[1]  # a week away: no reminder yet
    assert send_meeting_reminders() == 1
    send_meeting_reminders()  # a second run, or a second worker, sends nothing again
    assert len(mailoutbox) == 4
    assert {m.to[0] for m in mailoutbox} == set(
        circle.memberships.values_list("user__email", flat=True)
    )
    facilitator_mail = next(m for m in mailoutbox if m.to[0] == meeting.facilitator.email)
    assert "You are the facilitator" in facilitator_mail.body
    html, mimetype = facilitator_mail.alternatives[0]
    assert mimetype == "text/html"
    assert "Yes, I'll come" in html
    assert re.search(r"Yes: http://\S+/circles/rsvp/\S+/", facilitator_mail.body)
    assert not MeetingParticipation.objects.filter(meeting=later).exists()
    assert (
        MeetingParticipation.objects.filter(meeting=meeting, reminder_sent_at__isnull=False).count()
        == 4
    )


def test_banned_members_get_no_reminder(community, mailoutbox):
    circle = make_circle(community, members=4)
    soon(circle)
    banned = circle.memberships.last().user
    banned.memberships.update(status=MembershipStatus.BANNED)
    send_meeting_reminders()
    assert banned.email not in {m.to[0] for m in mailoutbox}
    assert len(mailoutbox) == 3


def test_the_rsvp_link_asks_before_it_changes_anything(client, community, mailoutbox):
    circle = make_circle(community, members=4)
    meeting = soon(circle)
    send_meeting_reminders()
    mail = next(m for m in mailoutbox if m.to[0] == meeting.facilitator.email)
    path = re.search(r"No: http://[^/]+(/circles/rsvp/\S+/)", mail.body)[1]
    page = client.get(path)
    assert page.status_code == 200
    assert "confirm that you cannot come" in page.content.decode()
    participation = MeetingParticipation.objects.get(meeting=meeting, user=meeting.facilitator)
    assert participation.rsvp == Rsvp.UNKNOWN  # opening the link changed nothing
    assert client.post(path).status_code == 200
    participation.refresh_from_db()
    assert participation.rsvp == Rsvp.NO
    meeting.refresh_from_db()
    assert meeting.facilitator_id != participation.user_id  # the role went to someone else


def test_a_tampered_rsvp_link_is_refused_plainly(client):
    response = client.get("/circles/rsvp/not-a-real-token/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
