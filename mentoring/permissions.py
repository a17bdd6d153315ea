"""Who may do what in mentoring. Views call `require`; templates get booleans from `can`.

A programme is seen by whoever may read its community's members-only content. Its manager is
the community's manager (staff too). A pairing's page, goals, sessions and reflections belong
to the pair: nobody else reads them, not managers, not moderators, not staff.
"""

from django.http import Http404

from communities.public import (
    Role,
    can_manage_community,
    can_see_community_content,
    is_active_member,
    membership_of,
)

from .errors import NotAllowed
from .models import MentorEligibility

MENTOR_ROLES = {Role.CHAMPION, Role.MODERATOR, Role.MANAGER}


def can_see_programme(user, programme) -> bool:
    return can_see_community_content(user, programme.community)


def can_manage_programme(user, programme) -> bool:
    return can_manage_community(user, programme.community)


def can_create_programme(user, community) -> bool:
    return can_manage_community(user, community)


def can_be_mentor(user, programme) -> bool:
    if not (user.is_authenticated and programme.is_open):
        return False
    membership = membership_of(user, programme.community)
    if membership is None or not membership.is_active:
        return False
    return (
        programme.mentor_eligibility == MentorEligibility.ANY_MEMBER
        or membership.role in MENTOR_ROLES
    )


def can_be_mentee(user, programme) -> bool:
    return (
        user.is_authenticated and programme.is_open and is_active_member(user, programme.community)
    )


def is_in_pair(user, pairing) -> bool:
    return user.is_authenticated and user.pk in (pairing.mentor.user_id, pairing.mentee.user_id)


def can_read_guide(user, programme) -> bool:
    """The guide is training for mentors and buddies: they and the manager read it."""
    if not user.is_authenticated:
        return False
    if can_manage_programme(user, programme):
        return True
    return programme.mentors.filter(user_id=user.pk).exists()


RULES = {
    "see_programme": can_see_programme,
    "manage_programme": can_manage_programme,
    "create_programme": can_create_programme,
    "be_mentor": can_be_mentor,
    "be_mentee": can_be_mentee,
    "read_pairing": is_in_pair,
    "read_guide": can_read_guide,
}


def can(user, action: str, obj=None) -> bool:
    return RULES[action](user, obj)


def require(user, action: str, obj=None, *, hide: bool = False) -> None:
    """Raise NotAllowed when the person may not act; `hide` answers 404 instead."""
    if can(user, action, obj):
        return
    if hide:
        raise Http404
    raise NotAllowed("You don't have permission to do that.")
