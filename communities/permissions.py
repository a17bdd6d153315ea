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


def _agreement_is_current(user, community) -> bool | None:
    """None for non-members; otherwise whether their agreement is to the guidelines as they
    stand in the database now (not as a possibly stale `community` object says)."""
    from django.db.models import F, Q

    from communities.models import Membership
    from communities.models.communities import MembershipStatus

    if not user.is_authenticated:
        return None
    row = (
        Membership.objects.filter(
            user_id=user.pk, community_id=community.pk, status=MembershipStatus.ACTIVE
        )
        .annotate(is_current=Q(agreed_guidelines_version=F("community__guidelines_version")))
        .values_list("is_current", flat=True)
        .first()
    )
    return None if row is None else bool(row)


def has_agreed_to_current_guidelines(user, community) -> bool:
    return _agreement_is_current(user, community) is True


def must_agree_again(user, community) -> bool:
    """An active member whose agreement is to an older version of the guidelines."""
    return _agreement_is_current(user, community) is False


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


# Discussions -------------------------------------------------------------------------------


def is_active_circle_member(user, circle) -> bool:
    from communities.models import CircleMembership
    from communities.models.circles import CircleMembershipStatus

    return (
        user.is_authenticated
        and CircleMembership.objects.filter(
            circle=circle, user_id=user.pk, status=CircleMembershipStatus.ACTIVE
        ).exists()
    )


def can_post_in_circle(user, circle) -> bool:
    """Circle threads and their replies: members of the community who belong to the circle."""
    if not can_post_in_community(user, circle.community):
        return False
    return user.is_staff or is_active_circle_member(user, circle)


def can_reply_to_thread(user, thread) -> bool:
    if thread.is_locked or thread.is_hidden:
        return False
    if thread.circle_id:
        return can_post_in_circle(user, thread.circle)
    return can_post_in_community(user, thread.community)


def is_author_of(user, thing) -> bool:
    return user.is_authenticated and thing.author_id is not None and thing.author_id == user.pk


def _takes_part_where(user, thread) -> bool:
    """Whether `user` may still post where `thread` lives (its circle, or its community)."""
    if thread.circle_id:
        return can_post_in_circle(user, thread.circle)
    return can_post_in_community(user, thread.community)


def can_edit_thread(user, thread) -> bool:
    """The author, while they may still post there: a banned or departed author's words
    stay as they were."""
    return is_author_of(user, thread) and _takes_part_where(user, thread)


def can_edit_post(user, post) -> bool:
    return is_author_of(user, post) and _takes_part_where(user, post.thread)


def can_accept_answer(user, thread) -> bool:
    """Only the asker, anonymous or not, chooses the accepted answer, while still a member."""
    return (
        thread.kind == "question" and is_author_of(user, thread) and _takes_part_where(user, thread)
    )


def is_verified_expert(user, tags, community=None) -> bool:
    """Whether `user` holds the "verified expert" badge for one of `tags` (in `community`,
    when given): managers grant it per tag."""
    from communities.models import AwardedBadge
    from communities.models.badges import BadgeKind

    tags = list(tags)
    if not user.is_authenticated or not tags:
        return False
    badges = AwardedBadge.objects.filter(
        user_id=user.pk, kind=BadgeKind.VERIFIED_EXPERT, tag__in=tags
    )
    if community is not None:
        badges = badges.filter(community=community)
    return badges.exists()


def can_mark_verified_answer(user, thread) -> bool:
    """Moderators, champions, and verified experts in one of the thread's tags."""
    from communities.models.communities import Role

    if not user.is_authenticated:
        return False
    if can_moderate_community(user, thread.community):
        return True
    membership = _active_membership(user, thread.community)
    if membership is None:
        return False
    return membership.role == Role.CHAMPION or is_verified_expert(
        user, thread.tags.all(), thread.community
    )


def can_reveal_anonymous_author(user, _thread=None) -> bool:
    return user.is_authenticated and user.is_staff


def can_view_revisions(user, thread) -> bool:
    return can_moderate_community(user, thread.community)


# Moderation -------------------------------------------------------------------------------


def can_flag_content(user, thread) -> bool:
    """Members who may post where the thread lives may flag it and its replies."""
    return _takes_part_where(user, thread)


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
    "post_in_circle": can_post_in_circle,
    "reply_to_thread": can_reply_to_thread,
    "edit_thread": can_edit_thread,
    "edit_post": can_edit_post,
    "accept_answer": can_accept_answer,
    "mark_verified_answer": can_mark_verified_answer,
    "reveal_anonymous_author": can_reveal_anonymous_author,
    "view_revisions": can_view_revisions,
    "flag_content": can_flag_content,
    # Notifications and prompts
    "manage_prompts": can_manage_community,
}


def can(user, action: str, obj=None) -> bool:
    from communities.mfa import refuses_for_mfa

    return RULES[action](user, obj) and not refuses_for_mfa(user, action)


def require(user, action: str, obj=None, *, hide: bool = False) -> None:
    """Raise when the person may not act; `hide` answers 404 so nothing private is revealed."""
    if can(user, action, obj):
        return
    from communities.mfa import MFA_REQUIRED_MESSAGE, refuses_for_mfa

    if refuses_for_mfa(user, action) and RULES[action](user, obj):  # allowed but for MFA
        raise NotAllowed(MFA_REQUIRED_MESSAGE)
    if hide:
        raise Http404
    community = _community_of(action, obj)
    if community is not None and must_agree_again(user, community):
        raise NotAllowed(
            f"The guidelines of {community.name} have changed: read them and agree to them "
            "on the community page before you post again."
        )
    raise NotAllowed("You don't have permission to do that.")


POSTING_ACTIONS = {"post_in_community", "post_in_circle", "reply_to_thread"}


def _community_of(action: str, obj):
    if action not in POSTING_ACTIONS or obj is None:
        return None
    return getattr(obj, "community", obj)
