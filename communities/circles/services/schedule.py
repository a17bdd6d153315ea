"""When circles meet and who holds which role: meeting generation and role rotation."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from communities.circles import rotation
from communities.circles.models import (
    Cadence,
    Circle,
    CircleMeeting,
    CircleMembership,
    CircleMembershipStatus,
    CircleStatus,
    MeetingParticipation,
    Rsvp,
)

DEFAULT_HORIZON = 4
ROLE_FIELDS = {
    rotation.FACILITATOR: "facilitator_id",
    rotation.TIMEKEEPER: "timekeeper_id",
    rotation.NOTE_TAKER: "note_taker_id",
}


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (nth - 1))


def _next_day(circle: Circle, day: dt.date) -> dt.date:
    if circle.cadence == Cadence.WEEKLY:
        return day + dt.timedelta(days=7)
    if circle.cadence == Cadence.FORTNIGHTLY:
        return day + dt.timedelta(days=14)
    # Monthly keeps the ordinal of the weekday ("the second Tuesday"), never a fifth one.
    nth = min((day.day - 1) // 7 + 1, 4)
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return _nth_weekday(year, month, circle.weekday, nth)


def _at(day: dt.date, circle: Circle, zone: ZoneInfo) -> dt.datetime:
    """The circle's local wall-clock time on `day`, in UTC (zoneinfo handles DST)."""
    local = dt.datetime.combine(day, circle.time_of_day, tzinfo=zone)
    return local.astimezone(dt.UTC)


def meeting_times(
    circle: Circle, *, after: dt.datetime, count: int, previous: dt.datetime | None = None
) -> list[dt.datetime]:
    """The next `count` start times (UTC) after `after`, following on from the meeting at
    `previous` when there is one so the cadence keeps its rhythm."""
    zone = ZoneInfo(circle.timezone)
    if previous is None:
        day = after.astimezone(zone).date()
        day += dt.timedelta(days=(circle.weekday - day.weekday()) % 7)
    else:
        day = _next_day(circle, previous.astimezone(zone).date())
    times: list[dt.datetime] = []
    while len(times) < count:
        starts_at = _at(day, circle, zone)
        if starts_at > after:
            times.append(starts_at)
        day = _next_day(circle, day)
    return times


def _active_member_ids(circle: Circle) -> list[int]:
    return list(
        CircleMembership.objects.filter(circle=circle, status=CircleMembershipStatus.ACTIVE)
        .order_by("joined_at", "pk")
        .values_list("user_id", flat=True)
    )


def _assign(meeting: CircleMeeting, *, member_ids: list[int], keep_current: bool) -> None:
    """Fill the meeting's roles by rotation; call inside a transaction holding the circle."""
    history = [
        {role: row[field] for role, field in ROLE_FIELDS.items()}
        for row in CircleMeeting.objects.filter(
            circle_id=meeting.circle_id, sequence__lt=meeting.sequence, is_cancelled=False
        )
        .order_by("sequence")
        .values(*ROLE_FIELDS.values())
    ]
    absent = set(
        MeetingParticipation.objects.filter(meeting=meeting, rsvp=Rsvp.NO).values_list(
            "user_id", flat=True
        )
    )
    keep = (
        {role: getattr(meeting, field) for role, field in ROLE_FIELDS.items()}
        if keep_current
        else {}
    )
    roles = rotation.assign_roles(member_ids, history, absent, keep)
    for role, field in ROLE_FIELDS.items():
        setattr(meeting, field, roles[role])
    meeting.save(update_fields=[field.removesuffix("_id") for field in ROLE_FIELDS.values()])


def reassign_roles(meeting: CircleMeeting) -> None:
    """Keep the holders who still come and fill the other roles; inside the caller's
    transaction, with the circle row locked."""
    _assign(meeting, member_ids=_active_member_ids(meeting.circle), keep_current=True)


def extend_schedule(circle: Circle, *, horizon: int = DEFAULT_HORIZON) -> list[CircleMeeting]:
    """Create meetings until `horizon` lie ahead; inside the caller's transaction, with the
    circle row locked so the sequence numbers cannot collide."""
    if circle.status != CircleStatus.ACTIVE:
        return []
    now = timezone.now()
    ahead = CircleMeeting.objects.filter(
        circle=circle, starts_at__gt=now, is_cancelled=False
    ).count()
    if ahead >= horizon:
        return []
    last = CircleMeeting.objects.filter(circle=circle).order_by("-sequence").first()
    times = meeting_times(
        circle,
        after=now,
        count=horizon - ahead,
        previous=last.starts_at if last else None,
    )
    sequence = last.sequence if last else 0
    member_ids = _active_member_ids(circle)
    created = []
    for starts_at in times:
        sequence += 1
        meeting = CircleMeeting.objects.create(
            circle=circle, sequence=sequence, starts_at=starts_at
        )
        _assign(meeting, member_ids=member_ids, keep_current=False)
        created.append(meeting)
    return created


def generate_meetings(*, circle: Circle, horizon: int = DEFAULT_HORIZON) -> list[CircleMeeting]:
    """Make sure the next `horizon` meetings of an active circle exist, with their roles.

    Idempotent: running it again creates nothing until a meeting has passed. Forming and
    closed circles get no meetings. Returns the meetings it created.
    """
    with transaction.atomic(durable=True):
        circle = Circle.objects.select_for_update().get(pk=circle.pk)
        return extend_schedule(circle, horizon=horizon)


def assign_meeting_roles(*, meeting: CircleMeeting) -> CircleMeeting:
    """Give the meeting a facilitator, a timekeeper and a note-taker by fair rotation,
    keeping holders who still come and replacing those who said they will not."""
    with transaction.atomic(durable=True):
        Circle.objects.select_for_update().get(pk=meeting.circle_id)
        meeting = CircleMeeting.objects.select_related("circle").get(pk=meeting.pk)
        reassign_roles(meeting)
    return meeting
