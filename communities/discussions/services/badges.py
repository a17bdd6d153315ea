"""Badges, awarded by the discussion services at the moment they are earned.

Anonymous questions never count towards a badge: a badge that appeared right after an
anonymous question could point at the asker.
"""

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from communities.core import rules as permissions
from communities.core.errors import StateError
from communities.core.models.audit import AuditEntry
from communities.core.models.communities import Community, Membership, MembershipStatus
from communities.core.models.people import User
from communities.core.models.tags import Tag
from communities.discussions.models.badges import AwardedBadge, BadgeKind
from communities.discussions.models.threads import Post, Thread, ThreadKind

CURIOUS_MIND_QUESTIONS = 10
WELCOMER_FIRST_THREADS = 5
STREAK_WEEKS = 4


def award(*, user: User, kind: str, community: Community, tag: Tag | None = None, by=None):
    """Award a badge; awarding one already held changes nothing (the unique constraints
    decide between simultaneous awards without breaking the caller's transaction)."""
    AwardedBadge.objects.bulk_create(
        [AwardedBadge(user=user, kind=kind, community=community, tag=tag, awarded_by=by)],
        ignore_conflicts=True,
    )


def _week_start(moment):
    day = timezone.localdate(moment)
    return day - timedelta(days=day.weekday())


def _holds(user: User, community: Community, kind: str) -> bool:
    return AwardedBadge.objects.filter(
        user=user, community=community, kind=kind, tag__isnull=True
    ).exists()


def _check_streak(user: User, community: Community) -> None:
    """Active (a thread or a reply) in each of the last four calendar weeks, this one included.

    One bounded existence check per week (nothing once the badge is held), so the cost does
    not grow with how much the member has written."""
    if _holds(user, community, BadgeKind.STREAK):
        return
    this_week = _week_start(timezone.now())
    for n in range(STREAK_WEEKS):
        day = this_week - timedelta(weeks=n)
        start = timezone.make_aware(datetime.combine(day, time.min))
        end = timezone.make_aware(datetime.combine(day + timedelta(weeks=1), time.min))
        in_week = {"created_at__gte": start, "created_at__lt": end}
        active = (
            Thread.objects.filter(
                author=user, community=community, is_anonymous=False, **in_week
            ).exists()
            or Post.objects.filter(author=user, thread__community=community, **in_week)
            .exclude(thread__is_anonymous=True, thread__author=user)
            .exists()
        )
        if not active:
            return
    award(user=user, kind=BadgeKind.STREAK, community=community)


def award_for_thread(thread: Thread) -> None:
    """Call inside `start_thread`'s transaction."""
    author, community = thread.author, thread.community
    if author is None or thread.is_anonymous:
        return
    if thread.kind == ThreadKind.QUESTION:
        award(user=author, kind=BadgeKind.FIRST_QUESTION, community=community)
        asked = Thread.objects.filter(
            author=author, community=community, kind=ThreadKind.QUESTION, is_anonymous=False
        ).count()
        if asked >= CURIOUS_MIND_QUESTIONS:
            award(user=author, kind=BadgeKind.CURIOUS_MIND, community=community)
    _check_streak(author, community)


def _first_threads_welcomed(user: User, community: Community) -> int:
    earlier = Thread.objects.filter(
        community=community, author=OuterRef("author"), created_at__lt=OuterRef("created_at")
    )
    return (
        Thread.objects.filter(community=community, is_anonymous=False, posts__author=user)
        .exclude(author=user)
        .exclude(author__isnull=True)
        .filter(~Exists(earlier))
        .distinct()
        .count()
    )


def award_for_reply(post: Post) -> None:
    """Call inside `reply`'s transaction."""
    thread, author = post.thread, post.author
    if author is None:
        return
    community = thread.community
    if thread.is_anonymous and thread.author_id == author.pk:
        return  # the anonymous asker replying in their own question
    is_answer = post.parent_id is None and thread.kind == ThreadKind.QUESTION
    if is_answer and thread.author_id != author.pk:
        award(user=author, kind=BadgeKind.FIRST_ANSWER, community=community)
    # The count only changes when the reply is to someone's first thread.
    if (
        thread.author_id not in (None, author.pk)
        and not thread.is_anonymous
        and not _holds(author, community, BadgeKind.WELCOMER)
        and not Thread.objects.filter(
            community=community, author_id=thread.author_id, created_at__lt=thread.created_at
        ).exists()
        and _first_threads_welcomed(author, community) >= WELCOMER_FIRST_THREADS
    ):
        award(user=author, kind=BadgeKind.WELCOMER, community=community)
    _check_streak(author, community)


def award_for_accepted_answer(thread: Thread, post: Post) -> None:
    """Call inside `accept_answer`'s transaction; answers to one's own question never count."""
    if post.author is None or post.author_id == thread.author_id:
        return
    award(user=post.author, kind=BadgeKind.HELPFUL_ANSWER, community=thread.community)


def grant_verified_expert(
    *, actor: User, community: Community, user: User, tag_name: str, reason: str = ""
) -> AwardedBadge:
    """A manager recognises an active member as a verified expert in one tag. Granting it
    again changes nothing. Written to the audit log."""
    permissions.require(actor, "manage_community", community, hide=True)
    tag_name = (tag_name or "").strip().lower().lstrip("#")
    tag = Tag.objects.filter(name=tag_name).first()
    if tag is None:
        raise ValidationError(
            {"tag_name": f"There is no tag “{tag_name[:40]}” yet; choose one members use."}
        )
    if not Membership.objects.filter(
        user=user, community=community, status=MembershipStatus.ACTIVE
    ).exists():
        raise StateError(f"{user.public_name} is not an active member of {community.name}.")
    with transaction.atomic(durable=True):
        award(user=user, kind=BadgeKind.VERIFIED_EXPERT, community=community, tag=tag, by=actor)
        AuditEntry.objects.create(
            community=community,
            actor=actor,
            action="grant_verified_expert",
            subject_user=user,
            target=tag,
            reason=reason or f"Verified expert in {tag.name}",
        )
    return AwardedBadge.objects.get(
        user=user, kind=BadgeKind.VERIFIED_EXPERT, community=community, tag=tag
    )


def revoke_verified_expert(*, actor: User, badge: AwardedBadge, reason: str = "") -> None:
    permissions.require(actor, "manage_community", badge.community, hide=True)
    if badge.kind != BadgeKind.VERIFIED_EXPERT:
        raise StateError("Only the verified expert badge can be taken back.")
    with transaction.atomic(durable=True):
        deleted, _ = AwardedBadge.objects.filter(pk=badge.pk).delete()
        if deleted:
            tag_name = badge.tag.name if badge.tag else "a tag"
            AuditEntry.objects.create(
                community=badge.community,
                actor=actor,
                action="revoke_verified_expert",
                subject_user_id=badge.user_id,
                target=badge.tag,
                reason=reason or f"No longer a verified expert in {tag_name}",
            )
