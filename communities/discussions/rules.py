"""Who may do what with threads, replies, answers and prompts."""

from django.db.models import QuerySet

from communities.circles.rules import can_post_in_circle, is_active_circle_member
from communities.core.compiled import compiled
from communities.core.models.communities import Role
from communities.core.rules import (
    active_membership,
    can_manage_community,
    can_moderate_community,
    can_post_in_community,
    register,
    remembered,
)
from communities.discussions.models.badges import AwardedBadge, BadgeKind


def can_reply_to_thread(user, thread) -> bool:
    if thread.is_locked or thread.is_hidden:
        return False
    if thread.circle_id:
        return can_post_in_circle(user, thread.circle)
    return can_post_in_community(user, thread.community)


def is_author_of(user, thing) -> bool:
    return user.is_authenticated and thing.author_id is not None and thing.author_id == user.pk


def takes_part_where(user, thread) -> bool:
    """Whether `user` may still post where `thread` lives (its circle, or its community)."""
    # Once per page (`rules.remembering`): the thread page asks it for every reply.
    key = ("takes-part", thread.circle_id, thread.community_id)
    return remembered(user, key, lambda: _takes_part(user, thread))


def _takes_part(user, thread) -> bool:
    if thread.circle_id:
        return can_post_in_circle(user, thread.circle)
    return can_post_in_community(user, thread.community)


def can_edit_thread(user, thread) -> bool:
    """The author, while they may still post there: a banned or departed author's words
    stay as they were."""
    return is_author_of(user, thread) and takes_part_where(user, thread)


def can_edit_post(user, post) -> bool:
    return is_author_of(user, post) and takes_part_where(user, post.thread)


def can_accept_answer(user, thread) -> bool:
    """Only the asker, anonymous or not, chooses the accepted answer, while still a member."""
    return (
        thread.kind == "question" and is_author_of(user, thread) and takes_part_where(user, thread)
    )


def is_verified_expert(user, tags, community=None) -> bool:
    """Whether `user` holds the "verified expert" badge for one of `tags` (in `community`,
    when given): managers grant it per tag."""

    tag_ids = [tag.pk for tag in tags]
    if not user.is_authenticated or not tag_ids:
        return False
    # Asked on every question's page: compiled once per number of tags.
    key = ("verified-expert", len(tag_ids), community is not None)
    if community is None:
        found = compiled(key, lambda pk, *ids: _expert_badges(pk, ids, None), user.pk, *tag_ids)
    else:
        found = compiled(
            key,
            lambda pk, c, *ids: _expert_badges(pk, ids, c),
            user.pk,
            community.pk,
            *tag_ids,
        )
    return bool(found)


def _expert_badges(user_id, tag_ids, community_id) -> QuerySet:
    """`user_id`'s verified-expert badges for `tag_ids` (in `community_id`, unless None), as
    a query of at most one id."""
    badges = AwardedBadge.objects.filter(
        user_id=user_id, kind=BadgeKind.VERIFIED_EXPERT, tag_id__in=tag_ids
    )
    if community_id is not None:
        badges = badges.filter(community_id=community_id)
    return badges.values_list("pk", flat=True)[:1]


def can_mark_verified_answer(user, thread) -> bool:
    """Moderators, champions, and verified experts in one of the thread's tags."""
    if not user.is_authenticated:
        return False
    if can_moderate_community(user, thread.community):
        return True
    membership = active_membership(user, thread.community)
    if membership is None:
        return False
    return membership.role == Role.CHAMPION or is_verified_expert(
        user, thread.tags.all(), thread.community
    )


def can_reveal_anonymous_author(user, _thread=None) -> bool:
    return user.is_authenticated and user.is_staff


def can_view_revisions(user, thread) -> bool:
    return can_moderate_community(user, thread.community)


def can_choose_circle_notifications(user, circle) -> bool:
    """A circle's own notification setting: its active members, each for themselves."""
    return is_active_circle_member(user, circle)


register(
    {
        "choose_circle_notifications": can_choose_circle_notifications,
        "reply_to_thread": can_reply_to_thread,
        "edit_thread": can_edit_thread,
        "edit_post": can_edit_post,
        "accept_answer": can_accept_answer,
        "mark_verified_answer": can_mark_verified_answer,
        "reveal_anonymous_author": can_reveal_anonymous_author,
        "view_revisions": can_view_revisions,
        "manage_prompts": can_manage_community,
    }
)
