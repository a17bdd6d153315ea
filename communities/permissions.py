"""Who may do what in communities: one place for pages, the admin and the API.

Role rules are django-guardian object permissions granted by the role services; the rest
are plain rules here. Views call `require`; templates use the `can` tag.
"""

from django.conf import settings
from django.http import Http404

from communities.errors import NotAllowed


def _has_verified_email(user) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def can_create_community(user, _obj=None) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if settings.TRELLIS_COMMUNITY_CREATORS == "staff":
        return False
    return _has_verified_email(user)


def can_manage_community(user, community) -> bool:
    return user.is_authenticated and (
        user.is_staff or user.has_perm("communities.manage_community", community)
    )


def can_moderate_community(user, community) -> bool:
    return user.is_authenticated and (
        user.is_staff or user.has_perm("communities.moderate_community", community)
    )


def _active_membership(user, community):
    from communities.models import Membership
    from communities.models.communities import MembershipStatus

    if not user.is_authenticated:
        return None
    return Membership.objects.filter(
        user_id=user.pk, community=community, status=MembershipStatus.ACTIVE
    ).first()


def is_active_member(user, community) -> bool:
    return _active_membership(user, community) is not None


def has_agreed_to_current_guidelines(user, community) -> bool:
    membership = _active_membership(user, community)
    return (
        membership is not None
        and membership.agreed_guidelines_version == community.guidelines_version
    )


def can_post_in_community(user, community) -> bool:
    """Active members who agreed to the current version of the guidelines post; staff too."""
    if not user.is_authenticated:
        return False
    return user.is_staff or has_agreed_to_current_guidelines(user, community)


def can_see_community_content(user, community) -> bool:
    """Members-only content (member directory, circles): open communities show it to anyone,
    the others to their active members. Staff see all."""
    from communities.models.communities import Visibility

    if user.is_authenticated and user.is_staff:
        return True
    return community.visibility == Visibility.OPEN or is_active_member(user, community)


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


def can_see_reflections(user, meeting) -> bool:
    """Reflections and ratings are for the meeting's facilitator; nobody else reads others'."""
    if not user.is_authenticated:
        return False
    return user.is_staff or (
        meeting.facilitator_id is not None and meeting.facilitator_id == user.pk
    )


RULES = {
    "create_community": can_create_community,
    "manage_community": can_manage_community,
    "moderate_community": can_moderate_community,
    "post_in_community": can_post_in_community,
    "see_community_content": can_see_community_content,
    "propose_circle": can_propose_circle,
    "join_circle": can_join_circle,
    "view_meetings": can_view_meetings,
    "write_meeting_notes": can_write_meeting_notes,
    "see_reflections": can_see_reflections,
}


def can(user, action: str, obj=None) -> bool:
    return RULES[action](user, obj)


def require(user, action: str, obj=None, *, hide: bool = False) -> None:
    """Raise when the person may not act; `hide` answers 404 so nothing private is revealed."""
    if can(user, action, obj):
        return
    if hide:
        raise Http404
    raise NotAllowed("You don't have permission to do that.")
