"""Circles: proposing, joining and leaving. Meetings and their schedule live beside it."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from communities.circles.models import (
    CIRCLE_MAX_SIZE,
    CIRCLE_MIN_SIZE,
    Circle,
    CircleMeeting,
    CircleMembership,
    CircleMembershipStatus,
    CircleStatus,
)
from communities.circles.services.meetings import (
    clean_place,
    leave_reflection,
    mark_attendance,
    save_meeting_notes,
    set_commitment,
    set_rsvp,
)
from communities.circles.services.schedule import (
    assign_meeting_roles,
    extend_schedule,
    generate_meetings,
    reassign_roles,
)
from communities.core import newcomers
from communities.core import rules as permissions
from communities.core.errors import NotAllowed, ValidationError
from communities.core.models.audit import AuditEntry
from communities.core.models.communities import Community
from communities.core.models.people import User
from communities.core.services import submissions
from communities.core.text import single_line

__all__ = [
    "approve_held_circle",
    "assign_meeting_roles",
    "generate_meetings",
    "join_circle",
    "leave_circle",
    "leave_reflection",
    "mark_attendance",
    "propose_circle",
    "release_held_of_established_accounts",
    "save_meeting_notes",
    "set_commitment",
    "set_rsvp",
]


def _unique_slug(community: Community, name: str) -> str:
    base = slugify(name)[:50] or "circle"
    taken = set(
        Circle.objects.filter(community=community, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    taken.add("new")  # /circles/new/ is the proposal form
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def propose_circle(
    *,
    actor,
    community: Community,
    name: str,
    kind: str,
    purpose: str,
    learning_goals: str,
    cadence: str,
    weekday: int,
    time_of_day: dt.time,
    timezone_name: str,
    capacity: int,
    duration_minutes: int = 60,
    place: str = "",
    video_url: str = "",
    submission_token: str | None = None,
) -> Circle:
    """Start a circle in `community`; the proposer is its first member. It stays forming
    until four people are in. Only people who may post in the community may propose.
    The same `submission_token` sent again returns the circle it proposed."""
    if not permissions.can(actor, "propose_circle", community):
        raise NotAllowed(
            "Only members who agreed to the community's guidelines can propose a circle."
        )
    if timezone_name not in zoneinfo.available_timezones():
        raise ValidationError({"timezone": "Choose a timezone from the list, e.g. Europe/Berlin."})
    if not CIRCLE_MIN_SIZE <= int(capacity) <= CIRCLE_MAX_SIZE:
        raise ValidationError(
            {"capacity": f"A circle has between {CIRCLE_MIN_SIZE} and {CIRCLE_MAX_SIZE} seats."}
        )
    place, video_url = clean_place(place, video_url)
    circle = Circle(
        community=community,
        name=single_line(name),
        kind=kind,
        purpose=purpose.strip(),
        learning_goals=learning_goals.strip(),
        cadence=cadence,
        weekday=weekday,
        time_of_day=time_of_day,
        timezone=timezone_name,
        capacity=capacity,
        duration_minutes=duration_minutes,
        place=place,
        video_url=video_url,
        created_by=actor,
    )
    # Trusted in this community, or established: no daily limit and nothing held back.
    trusted = permissions.can(actor, "moderate_community", community) or (
        newcomers.is_established(actor)
    )
    circle.is_held_for_review = newcomers.should_hold_for_review(trusted=trusted)
    with transaction.atomic(durable=True):
        earlier = submissions.claim_submission(user=actor, token=submission_token, model=Circle)
        if earlier is not None:
            return earlier
        if not trusted:
            newcomers.lock_account(actor)
            newcomers.check_daily_limit(
                created=Circle.objects.filter(created_by=actor),
                per_day=settings.TRELLIS_NEW_ACCOUNT_CIRCLES_PER_DAY,
                thing="circle",
                things="circles",
                verb="propose",
            )
        circle.slug = _unique_slug(community, circle.name)
        circle.full_clean(exclude=["created_by"])
        circle.save()
        CircleMembership.objects.create(circle=circle, user=actor)
        submissions.record_submission(user=actor, token=submission_token, result=circle)
    return circle


def approve_held_circle(*, actor, circle: Circle) -> Circle:
    """A manager, moderator or staff has seen a circle a brand-new account proposed:
    anonymous visitors see it from now on. Approving it again changes nothing."""
    permissions.require(actor, "approve_held_circle", circle)
    with transaction.atomic(durable=True):
        if Circle.objects.filter(pk=circle.pk, is_held_for_review=True).update(
            is_held_for_review=False
        ):
            AuditEntry.objects.create(
                community=circle.community, actor=actor, action="approve_held_circle", target=circle
            )
    circle.is_held_for_review = False
    return circle


def release_held_of_established_accounts() -> int:
    """Show anonymous visitors the communities and circles whose creators have become
    established since; returns how many were released. Safe to run any time."""
    held_communities = Community.objects.filter(is_held_for_review=True)
    held_circles = Circle.objects.filter(is_held_for_review=True)
    creator_ids = set(held_communities.values_list("created_by_id", flat=True))
    creator_ids |= set(held_circles.values_list("created_by_id", flat=True))
    established = [
        user.pk
        for user in User.objects.filter(pk__in=creator_ids - {None})
        if newcomers.is_established(user)
    ]
    released = held_communities.filter(created_by_id__in=established).update(
        is_held_for_review=False
    )
    return released + held_circles.filter(created_by_id__in=established).update(
        is_held_for_review=False
    )


def join_circle(*, user, circle: Circle) -> CircleMembership:
    """Take a seat in the circle. Refuses non-members of the community and full or closed
    circles; the fourth member makes the circle active and its first meetings appear.

    The circle row is locked while seats are counted, so two people reaching for the last
    seat at once cannot both get it.
    """
    with transaction.atomic(durable=True):
        if not permissions.can(user, "join_circle", circle):
            raise ValidationError(
                f"Only active members of {circle.community.name} can join its circles."
            )
        circle = Circle.objects.select_for_update().get(pk=circle.pk)
        if circle.status == CircleStatus.CLOSED:
            raise ValidationError("This circle has closed; it takes no new members.")
        membership = CircleMembership.objects.filter(circle=circle, user=user).first()
        if membership and membership.status == CircleMembershipStatus.ACTIVE:
            return membership
        seats_taken = CircleMembership.objects.filter(
            circle=circle, status=CircleMembershipStatus.ACTIVE
        ).count()
        if seats_taken >= circle.capacity:
            raise ValidationError(
                f"This circle is full: all {circle.capacity} seats are taken. "
                "Propose a new circle or ask to be told when a seat frees up."
            )
        if membership:
            membership.status = CircleMembershipStatus.ACTIVE
            membership.save(update_fields=["status"])
        else:
            membership = CircleMembership.objects.create(circle=circle, user=user)
        if circle.status == CircleStatus.FORMING and seats_taken + 1 >= CIRCLE_MIN_SIZE:
            circle.status = CircleStatus.ACTIVE
            circle.save(update_fields=["status"])
            extend_schedule(circle)
    return membership


def leave_circle(*, user, circle: Circle) -> CircleMembership:
    """Give up one's seat. Roles the person held in upcoming meetings pass to others; a
    circle nobody is left in closes."""
    with transaction.atomic(durable=True):
        circle = Circle.objects.select_for_update().get(pk=circle.pk)
        membership = vacate_seat(circle=circle, user=user)
        if membership is None:
            raise ValidationError("You are not in this circle.")
    return membership


def vacate_seat(*, circle: Circle, user) -> CircleMembership | None:
    """End `user`'s seat in a circle whose row the caller has locked, inside the caller's
    transaction; their upcoming roles pass to others. None when they had no seat."""
    membership = CircleMembership.objects.filter(
        circle=circle, user=user, status=CircleMembershipStatus.ACTIVE
    ).first()
    if membership is None:
        return None
    membership.status = CircleMembershipStatus.LEFT
    membership.save(update_fields=["status"])
    if not CircleMembership.objects.filter(
        circle=circle, status=CircleMembershipStatus.ACTIVE
    ).exists():
        circle.status = CircleStatus.CLOSED
        circle.save(update_fields=["status"])
    held = CircleMeeting.objects.filter(
        circle=circle, starts_at__gt=timezone.now(), is_cancelled=False
    ).filter(_holds_a_role(user.pk))
    for meeting in held.select_related("circle").order_by("sequence"):
        for field in ("facilitator", "timekeeper", "note_taker"):
            if getattr(meeting, f"{field}_id") == user.pk:
                setattr(meeting, f"{field}_id", None)
        reassign_roles(meeting)
    return membership


def vacate_seats_in_community(*, community: Community, user, **_signal) -> int:
    """Someone who leaves, is removed from or banned from a community gives up their circle
    seats there; inside the caller's transaction. Returns how many seats ended."""
    circles = Circle.objects.select_for_update().filter(
        community=community,
        memberships__user=user,
        memberships__status=CircleMembershipStatus.ACTIVE,
    )
    return sum(vacate_seat(circle=circle, user=user) is not None for circle in circles)


def _holds_a_role(user_id: int) -> Q:
    return Q(facilitator_id=user_id) | Q(timekeeper_id=user_id) | Q(note_taker_id=user_id)
