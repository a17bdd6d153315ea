"""Meeting reminders by email, with one-click RSVP links, and the calendar feed address."""

import datetime as dt
from functools import partial

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from communities.circles.models import (
    CalendarFeed,
    CircleMeeting,
    CircleMembership,
    CircleMembershipStatus,
    MeetingParticipation,
    Rsvp,
    new_calendar_token,
)
from communities.core.errors import ValidationError
from communities.core.mail import MEETING_REMINDER, member_email
from communities.core.models.communities import MembershipStatus
from communities.core.sending import send_once
from communities.core.zones import in_zone_of, zone_of

RSVP_SALT = "communities.meeting-rsvp"
REMINDER_WINDOW = dt.timedelta(hours=24)


def make_rsvp_token(*, user_id: int, meeting_id: int, rsvp: str) -> str:
    return signing.dumps({"u": user_id, "m": meeting_id, "r": rsvp}, salt=RSVP_SALT)


def read_rsvp_token(token: str) -> tuple[int, int, str]:
    """(user id, meeting id, answer) from a link in a reminder. The link works until the
    meeting starts; set_rsvp refuses answers after that."""
    try:
        data = signing.loads(token, salt=RSVP_SALT, max_age=dt.timedelta(days=30))
        user_id, meeting_id, rsvp = int(data["u"]), int(data["m"]), data["r"]
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise ValidationError(
            "This link is not valid any more. Open the meeting page to answer instead."
        ) from error
    if rsvp not in (Rsvp.YES, Rsvp.NO):
        raise ValidationError("This link is not valid. Open the meeting page to answer instead.")
    return user_id, meeting_id, rsvp


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _seat_participations(meeting: CircleMeeting) -> None:
    """Make sure every seated member has a row for the meeting to hold their reminder."""
    user_ids = CircleMembership.objects.filter(
        circle_id=meeting.circle_id, status=CircleMembershipStatus.ACTIVE
    ).values_list("user_id", flat=True)
    MeetingParticipation.objects.bulk_create(
        [MeetingParticipation(meeting=meeting, user_id=user_id) for user_id in user_ids],
        ignore_conflicts=True,
    )


def send_reminders_for_meeting(*, meeting_id: int) -> int:
    """Email each seated member of the meeting one reminder; safe to run twice or
    concurrently: a member's row is claimed before the email goes out. Returns how many
    emails were sent."""
    meeting = (
        CircleMeeting.objects.select_related("circle__community", "facilitator", "timekeeper")
        .select_related("note_taker")
        .filter(pk=meeting_id, is_cancelled=False, starts_at__gt=timezone.now())
        .first()
    )
    if meeting is None:
        return 0
    _seat_participations(meeting)
    due = (
        MeetingParticipation.objects.filter(
            meeting=meeting,
            reminder_sent_at__isnull=True,
            user__circle_memberships__circle_id=meeting.circle_id,
            user__circle_memberships__status=CircleMembershipStatus.ACTIVE,
            user__memberships__community_id=meeting.circle.community_id,
            user__memberships__status=MembershipStatus.ACTIVE,
        )
        # Members who turned reminders off (one-click unsubscribe or their settings).
        .exclude(user__email_opt_outs__kind=MEETING_REMINDER)
        .select_related("user")
    )
    sent = 0
    for participation in due:
        sent += send_once(
            MeetingParticipation,
            participation.pk,
            field="reminder_sent_at",
            send=partial(_send_reminder, meeting, participation),
        )
    return sent


def _role_of(meeting: CircleMeeting, user_id: int) -> str:
    for field, label in (
        ("facilitator_id", "facilitator"),
        ("timekeeper_id", "timekeeper"),
        ("note_taker_id", "note-taker"),
    ):
        if getattr(meeting, field) == user_id:
            return label
    return ""


def _send_reminder(meeting: CircleMeeting, participation: MeetingParticipation) -> None:
    user = participation.user
    circle = meeting.circle
    meeting_path = reverse(
        "communities:meeting-detail",
        kwargs={
            "slug": circle.community.slug,
            "circle_slug": circle.slug,
            "sequence": meeting.sequence,
        },
    )
    links = {
        answer: _absolute(
            reverse(
                "communities:rsvp-from-email",
                kwargs={
                    "token": make_rsvp_token(user_id=user.pk, meeting_id=meeting.pk, rsvp=answer)
                },
            )
        )
        for answer in (Rsvp.YES, Rsvp.NO)
    }
    context = {
        "user": user,
        "meeting": meeting,
        "circle": circle,
        "role": _role_of(meeting, user.pk),
        "local_start": meeting.starts_at.astimezone(zone_of(user)),
        "meeting_url": _absolute(meeting_path),
        "yes_url": links[Rsvp.YES],
        "no_url": links[Rsvp.NO],
    }
    # Every time in the email is in the recipient's zone.
    with in_zone_of(user):
        message = member_email(
            user=user,
            kind=MEETING_REMINDER,
            subject=f"[Trellis] {circle.name} meets {context['local_start']:%A %H:%M}",
            text=render_to_string("communities/circles/email/reminder.txt", context),
            html=render_to_string("communities/circles/email/reminder.html", context),
        )
    message.send()


def meetings_due_for_reminders() -> list[int]:
    now = timezone.now()
    return list(
        CircleMeeting.objects.filter(
            starts_at__gt=now, starts_at__lte=now + REMINDER_WINDOW, is_cancelled=False
        ).values_list("pk", flat=True)
    )


def calendar_feed_of(user) -> CalendarFeed:
    """The member's feed, created on first use."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


def regenerate_calendar_feed(*, user) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    with transaction.atomic(durable=True):
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        if not created:
            feed.token = new_calendar_token()
            feed.save(update_fields=["token"])
    return feed
