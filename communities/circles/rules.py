"""Who may do what with circles and their meetings."""

from communities.circles.models import CircleMembership, CircleMembershipStatus
from communities.core.rules import (
    can_moderate_community,
    can_post_in_community,
    is_active_member,
    register,
    remembered,
)


def can_propose_circle(user, community) -> bool:
    """Proposing a circle is posting in the community."""
    return can_post_in_community(user, community)


def can_join_circle(user, circle) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_staff or is_active_member(user, circle.community)


def can_view_meetings(user, community) -> bool:
    """Meeting pages are for active members of the community (and staff)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or is_active_member(user, community)


def can_write_meeting_notes(user, meeting) -> bool:
    """The note-taker writes the notes; moderators of the community may correct them."""
    if not user.is_authenticated:
        return False
    if meeting.note_taker_id is not None and meeting.note_taker_id == user.pk:
        return True
    return can_moderate_community(user, meeting.circle.community)


def can_edit_meeting_place(user, meeting) -> bool:
    """Where a meeting happens: its facilitator, and the community's moderators."""
    if not user.is_authenticated:
        return False
    if meeting.facilitator_id is not None and meeting.facilitator_id == user.pk:
        return True
    return can_moderate_community(user, meeting.circle.community)


def can_see_reflections(user, meeting) -> bool:
    """Reflections and ratings are for the meeting's facilitator; nobody else reads others'."""
    if not user.is_authenticated:
        return False
    return user.is_staff or (
        meeting.facilitator_id is not None and meeting.facilitator_id == user.pk
    )


def is_active_circle_member(user, circle) -> bool:
    if not user.is_authenticated:
        return False
    return remembered(
        user,
        ("circle-membership", circle.pk),
        CircleMembership.objects.filter(
            circle=circle, user_id=user.pk, status=CircleMembershipStatus.ACTIVE
        ).exists,
    )


def can_approve_held_circle(user, circle) -> bool:
    """Managers and moderators of the community, and staff."""
    return can_moderate_community(user, circle.community)


def can_post_in_circle(user, circle) -> bool:
    """Circle threads and their replies: members of the community who belong to the circle."""
    if not can_post_in_community(user, circle.community):
        return False
    return user.is_staff or is_active_circle_member(user, circle)


register(
    {
        "propose_circle": can_propose_circle,
        "approve_held_circle": can_approve_held_circle,
        "join_circle": can_join_circle,
        "view_meetings": can_view_meetings,
        "write_meeting_notes": can_write_meeting_notes,
        "edit_meeting_place": can_edit_meeting_place,
        "see_reflections": can_see_reflections,
        "post_in_circle": can_post_in_circle,
    }
)
