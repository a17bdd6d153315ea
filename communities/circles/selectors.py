"""Reads of circles and their meetings. Visibility comes from the community selectors."""

from datetime import timedelta

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from communities.circles.models import (
    Circle,
    CircleMeeting,
    CircleMembership,
    CircleMembershipStatus,
    CircleStatus,
    MeetingParticipation,
)
from communities.core.models.communities import Community, MembershipStatus
from communities.core.selectors import content_visible_communities

ACTIVE_SEAT = Q(memberships__status=CircleMembershipStatus.ACTIVE)
ROLE_HOLDERS = ("facilitator", "timekeeper", "note_taker")


def _is_circle_member(viewer, circle_ref: str = "pk"):
    if not viewer.is_authenticated:
        return Q(pk__in=[])
    return Exists(
        CircleMembership.objects.filter(
            circle=OuterRef(circle_ref),
            user_id=viewer.pk,
            status=CircleMembershipStatus.ACTIVE,
        )
    )


def _shown_to(viewer) -> Q:
    """Anonymous visitors don't see circles held for review (proposed by a brand-new
    account); everyone who may read the community's content does."""
    return Q() if viewer.is_authenticated else Q(is_held_for_review=False)


def circles_for_community(*, viewer, community: Community) -> QuerySet[Circle]:
    """Circles of `community` if `viewer` may read its members-only content, open ones first,
    each with `seats_taken`, `next_meeting_at` and `is_member` (the viewer holds a seat)."""
    return (
        Circle.objects.filter(
            _shown_to(viewer),
            community=community,
            community__in=content_visible_communities(viewer),
        )
        .exclude(status=CircleStatus.CLOSED)
        .select_related("community")
        .annotate(
            seats_taken=Count("memberships", filter=ACTIVE_SEAT, distinct=True),
            next_meeting_at=Min(
                "meetings__starts_at",
                filter=Q(meetings__starts_at__gte=timezone.now(), meetings__is_cancelled=False),
            ),
            is_member=_is_circle_member(viewer),
        )
        .order_by("name", "pk")
    )


def circle_for_viewer(*, viewer, community: Community, slug: str) -> Circle:
    """The circle with `slug` in `community` (already checked for the viewer), with its seated
    members; 404 for an unknown slug."""
    seated = CircleMembership.objects.filter(status=CircleMembershipStatus.ACTIVE).select_related(
        "user"
    )
    return get_object_or_404(
        Circle.objects.filter(_shown_to(viewer), community=community)
        .select_related("community")
        .annotate(is_member=_is_circle_member(viewer))
        .prefetch_related(Prefetch("memberships", queryset=seated, to_attr="seated")),
        slug=slug,
    )


def meetings_of_circle(circle: Circle) -> QuerySet[CircleMeeting]:
    """The circle's meetings, newest last, with their role holders."""
    return (
        CircleMeeting.objects.filter(circle=circle, is_cancelled=False)
        .select_related(*ROLE_HOLDERS)
        .order_by("sequence")
    )


def circle_page_meetings(circle: Circle, *, past_limit: int = 10) -> tuple[list, list]:
    """The circle page's meetings: every upcoming one (soonest first) and the last
    `past_limit` past ones (latest first), without loading the circle's whole history."""
    meetings = meetings_of_circle(circle)
    now = timezone.now()
    upcoming = list(meetings.filter(starts_at__gte=now))
    past = list(meetings.filter(starts_at__lt=now).order_by("-sequence")[:past_limit])
    for meeting in upcoming + past:
        meeting.circle = circle  # their time and place read the circle: no query each
    return upcoming, past


CALENDAR_PAST_DAYS = 90


def calendar_meetings_for_member(user) -> QuerySet[CircleMeeting]:
    """The meetings a member's calendar feed carries: those of the past
    `CALENDAR_PAST_DAYS` days and every upcoming one, of circles they sit in, soonest first."""
    since = timezone.now() - timedelta(days=CALENDAR_PAST_DAYS)
    return _meetings_for_member(user).filter(starts_at__gte=since)


def upcoming_meetings_for_community(*, viewer, community: Community) -> QuerySet[CircleMeeting]:
    """Upcoming meetings of the community's circles that `viewer` may see, soonest first,
    carrying the circle and the three role holders. Empty for viewers who may not read the
    community's members-only content."""
    return (
        CircleMeeting.objects.filter(
            circle__community=community,
            circle__community__in=content_visible_communities(viewer),
            starts_at__gte=timezone.now(),
            is_cancelled=False,
        )
        .filter(Q() if viewer.is_authenticated else Q(circle__is_held_for_review=False))
        .select_related("circle", *ROLE_HOLDERS)
        .order_by("starts_at")
    )


def upcoming_meetings_for_member(user) -> QuerySet[CircleMeeting]:
    """Upcoming meetings of the circles `user` sits in, in communities where they are still
    an active member, soonest first, with circle, community and role holders."""
    return _meetings_for_member(user).filter(starts_at__gte=timezone.now())


def _meetings_for_member(user) -> QuerySet[CircleMeeting]:
    if not user.is_authenticated:
        return CircleMeeting.objects.none()
    return (
        CircleMeeting.objects.filter(
            is_cancelled=False,
            circle__memberships__user_id=user.pk,
            circle__memberships__status=CircleMembershipStatus.ACTIVE,
            circle__community__memberships__user_id=user.pk,
            circle__community__memberships__status=MembershipStatus.ACTIVE,
        )
        .select_related("circle__community", *ROLE_HOLDERS)
        .order_by("starts_at")
    )


def meeting_for_viewer(*, circle: Circle, sequence: int) -> CircleMeeting:
    """The meeting of `circle` numbered `sequence`, with its role holders; 404 otherwise."""
    return get_object_or_404(
        CircleMeeting.objects.filter(circle=circle).select_related(
            "circle__community", *ROLE_HOLDERS
        ),
        sequence=sequence,
    )


def meeting_agenda(meeting: CircleMeeting) -> list[dict]:
    """Each seated member with the commitment they made at the circle's previous meeting
    (blank when they made none) and their `participation` in this one (or None), in the
    order they joined. Four queries whatever the size of the circle."""
    previous = (
        CircleMeeting.objects.filter(
            circle_id=meeting.circle_id, sequence__lt=meeting.sequence, is_cancelled=False
        )
        .order_by("-sequence")
        .first()
    )
    commitments = (
        dict(
            MeetingParticipation.objects.filter(meeting=previous).values_list(
                "user_id", "commitment"
            )
        )
        if previous
        else {}
    )
    here = {p.user_id: p for p in MeetingParticipation.objects.filter(meeting=meeting)}
    seats = CircleMembership.objects.filter(
        circle_id=meeting.circle_id, status=CircleMembershipStatus.ACTIVE
    ).select_related("user")
    return [
        {
            "member": seat.user,
            "commitment": commitments.get(seat.user_id, ""),
            "participation": here.get(seat.user_id),
        }
        for seat in seats
    ]


def participations_of_meeting(meeting: CircleMeeting) -> QuerySet[MeetingParticipation]:
    return MeetingParticipation.objects.filter(meeting=meeting).select_related("user")


ROLE_LABELS = (
    ("facilitator_id", "facilitator"),
    ("timekeeper_id", "timekeeper"),
    ("note_taker_id", "note-taker"),
)


def role_in_meeting(meeting: CircleMeeting, user_id: int) -> str | None:
    """The role `user_id` holds in `meeting`, as words, or None."""
    for field, label in ROLE_LABELS:
        if getattr(meeting, field) == user_id:
            return label
    return None


def next_meeting_for_member(upcoming: list[CircleMeeting], user_id: int) -> dict | None:
    """From already loaded upcoming meetings: the next one and the role the member holds in
    it, and, when they hold none then, their next meeting with a role."""
    if not upcoming:
        return None
    following = next(
        (meeting for meeting in upcoming[1:] if role_in_meeting(meeting, user_id)), None
    )
    return {
        "meeting": upcoming[0],
        "role": role_in_meeting(upcoming[0], user_id),
        "next_role_meeting": following,
        "next_role": role_in_meeting(following, user_id) if following else None,
    }
