"""Creating notifications when things happen in threads, and marking them read.

The `notify_*` functions run inside the caller's transaction (the thread, reply or answer
service), so a write that rolls back leaves no notification behind, and emails are queued
only on commit. Nobody hears about a thread they can't read, and nobody about their own act.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from communities.circles.models import Circle
from communities.core.jobs import enqueue_on_commit
from communities.core.models.people import User
from communities.discussions.mentions import parse_mentions
from communities.discussions.models.notifications import (
    CircleNotificationSetting,
    CommunityNotificationSetting,
    Follow,
    Notification,
    NotificationLevel,
)
from communities.discussions.models.notifications import NotificationKind as Kind
from communities.discussions.models.threads import Post, Thread, ThreadKind
from communities.discussions.rules import can_choose_circle_notifications
from communities.discussions.selectors.notifications import can_read_thread, readers_of

EMAIL_KINDS = (Kind.MENTION, Kind.REPLY)
# What reaches someone who chose "mentions only" for a community: things addressed to them.
PERSONAL_KINDS = (Kind.MENTION, Kind.REPLY, Kind.ANSWER_ACCEPTED, Kind.ANSWER_VERIFIED)


def _honour_levels(thread: Thread, kinds: Mapping[int, str]) -> dict[int, str]:
    """Drop what each recipient's setting keeps out: their circle's setting for a circle
    thread, else their community's (one query, two for a circle thread). Mute hears
    nothing, "mentions" only what is addressed to them (mentions, replies to them, their
    answer accepted or verified), "questions" only question threads beyond that; no
    setting hears everything."""
    user_ids = list(kinds)
    levels = dict(
        CommunityNotificationSetting.objects.filter(
            community_id=thread.community_id, user_id__in=user_ids
        ).values_list("user_id", "level")
    )
    if thread.circle_id is not None:
        levels.update(
            CircleNotificationSetting.objects.filter(
                circle_id=thread.circle_id, user_id__in=user_ids
            ).values_list("user_id", "level")
        )

    def wanted(user_id: int, kind: str) -> bool:
        level = levels.get(user_id, NotificationLevel.ALL)
        if level == NotificationLevel.MUTE:
            return False
        if kind in PERSONAL_KINDS or level == NotificationLevel.ALL:
            return True
        return level == NotificationLevel.QUESTIONS and thread.kind == ThreadKind.QUESTION

    return {user_id: kind for user_id, kind in kinds.items() if wanted(user_id, kind)}


BATCH_SIZE = 500


def _shown_actor_id(thread: Thread, actor: User | None) -> int | None:
    # The anonymous asker acting in their own question is stored as nobody.
    if actor is None or (thread.is_anonymous and actor.pk == thread.author_id):
        return None
    return actor.pk


def _mentioned_readers(thread: Thread, handles: list[str]) -> list[int]:
    """Mentioned people who can read the thread, each checked with `visible_threads`."""
    if not handles:
        return []
    named = Q()
    for handle in handles:
        named |= Q(username__iexact=handle)
    return [
        user.pk
        for user in User.objects.filter(named, is_active=True)
        if can_read_thread(user, thread)
    ]


def _deliver(
    *, thread: Thread, post: Post | None, event: str, actor: User | None, kinds: Mapping[int, str]
) -> None:
    """One notification per recipient for `event`; a recipient who already heard of it
    is skipped. Emails for mentions and direct replies are queued on commit."""
    kinds = {
        user_id: kind for user_id, kind in kinds.items() if actor is None or user_id != actor.pk
    }
    if kinds:
        kinds = _honour_levels(thread, kinds)
    if not kinds:
        return
    candidates = list(kinds)
    allowed: set[int] = set()
    # In batches, so a community with thousands of followers stays under the database's
    # limit on query parameters.
    for start in range(0, len(candidates), BATCH_SIZE):
        batch = User.objects.filter(pk__in=candidates[start : start + BATCH_SIZE])
        allowed.update(readers_of(thread, batch).values_list("pk", flat=True))
    now = timezone.now()
    actor_id = _shown_actor_id(thread, actor)
    Notification.objects.bulk_create(
        batch_size=BATCH_SIZE,
        objs=[
            Notification(
                recipient_id=recipient_id,
                kind=kind,
                event=event,
                thread=thread,
                post=post,
                actor_id=actor_id,
                created_at=now,
            )
            for recipient_id, kind in kinds.items()
            if recipient_id in allowed
        ],
        ignore_conflicts=True,
    )
    # Mentions and direct replies only: a handful of people, never a community's followers.
    emailed = [rid for rid, kind in kinds.items() if kind in EMAIL_KINDS and rid in allowed]
    if emailed:
        _queue_emails(event, emailed)


def _queue_emails(event: str, recipient_ids: list[int]) -> None:
    to_email = Notification.objects.filter(
        event=event,
        recipient_id__in=recipient_ids,
        kind__in=EMAIL_KINDS,
        emailed_at__isnull=True,
        recipient__notify_by_email=True,
    ).values_list("pk", flat=True)
    for notification_id in to_email:
        enqueue_on_commit("communities.tasks.send_notification_email", notification_id)


def _followers(kind: str, **target) -> dict[int, str]:
    ids = Follow.objects.filter(user__notify_on_follows=True, **target).values_list(
        "user_id", flat=True
    )
    return dict.fromkeys(ids, kind)


def notify_new_thread(*, thread: Thread) -> None:
    """Followers of the community and of the thread's tags, and the people it mentions."""
    kinds = _followers(Kind.FOLLOWED_COMMUNITY, community_id=thread.community_id)
    kinds |= _followers(Kind.FOLLOWED_TAG, tag__threads=thread)
    kinds |= dict.fromkeys(_mentioned_readers(thread, parse_mentions(thread.body)), Kind.MENTION)
    _deliver(
        thread=thread, post=None, event=f"thread:{thread.pk}", actor=thread.author, kinds=kinds
    )


def notify_new_post(*, post: Post) -> None:
    """Followers of the thread, the person answered (asker or answer author), and the
    people the reply mentions."""
    thread = post.thread
    kinds = _followers(Kind.FOLLOWED_THREAD, thread_id=thread.pk)
    answered = post.parent.author_id if post.parent is not None else thread.author_id
    if answered:
        kinds[answered] = Kind.REPLY
    kinds |= dict.fromkeys(_mentioned_readers(thread, parse_mentions(post.body)), Kind.MENTION)
    _deliver(thread=thread, post=post, event=f"post:{post.pk}", actor=post.author, kinds=kinds)


def notify_new_mentions(*, thread: Thread, post: Post | None, old_body: str, actor: User) -> None:
    """After an edit: people mentioned now but not before, once per thread or reply."""
    body = post.body if post is not None else thread.body
    before = set(parse_mentions(old_body))
    added = [handle for handle in parse_mentions(body) if handle not in before]
    if not added:
        return
    already = set(
        Notification.objects.filter(thread=thread, post=post, kind=Kind.MENTION).values_list(
            "recipient_id", flat=True
        )
    )
    kinds = {
        user_id: Kind.MENTION
        for user_id in _mentioned_readers(thread, added)
        if user_id not in already
    }
    target = f"post:{post.pk}" if post is not None else f"thread:{thread.pk}"
    _deliver(thread=thread, post=post, event=f"{target}:mention", actor=actor, kinds=kinds)


def notify_answer_accepted(*, thread: Thread, post: Post) -> None:
    """The author of the accepted answer hears of it, named by the asker unless anonymous."""
    kinds = {post.author_id: Kind.ANSWER_ACCEPTED} if post.author_id else {}
    _deliver(
        thread=thread, post=post, event=f"accepted:{post.pk}", actor=thread.author, kinds=kinds
    )


def notify_answer_verified(*, thread: Thread, post: Post, actor: User) -> None:
    """The answer's author and the asker hear that an answer was verified."""
    kinds = {
        user_id: Kind.ANSWER_VERIFIED
        for user_id in (thread.author_id, post.author_id)
        if user_id is not None
    }
    _deliver(thread=thread, post=post, event=f"verified:{post.pk}", actor=actor, kinds=kinds)


def notify(
    recipient: User, *, event: str, message: str, url: str, actor: User | None = None
) -> bool:
    """A notice on `recipient`'s notifications page: `message` linking to `url` (a path on
    this site). Once per (recipient, event), however often it is called; returns whether it
    was new. Other apps call it inside their own transaction, and email in their own words."""
    message = " ".join(message.split())
    if not message or len(message) > 200:
        raise ValueError("A notice needs a message of 1 to 200 characters.")
    if not url.startswith("/") or url.startswith("//") or len(url) > 300:
        raise ValueError("A notice links to a path on this site.")
    if len(event) > 40:
        raise ValueError("A notice's event is at most 40 characters.")
    _, created = Notification.objects.get_or_create(
        recipient=recipient,
        event=event,
        defaults={
            "kind": Kind.NOTICE,
            "message": message,
            "url": url,
            "actor": actor if actor is not None and actor.pk != recipient.pk else None,
        },
    )
    return created


def mark_notification_read(*, user: User, notification_id: int) -> bool:
    """Mark one of the person's notifications read; returns whether it was theirs. Marking
    a read one again keeps its first read time."""
    with transaction.atomic(durable=True):
        mine = Notification.objects.filter(pk=notification_id, recipient_id=user.pk)
        if not mine.exists():
            return False
        mine.filter(read_at__isnull=True).update(read_at=timezone.now())
    return True


def mark_all_notifications_read(*, user: User) -> int:
    """Mark every unread notification of the person read; returns how many changed."""
    with transaction.atomic(durable=True):
        return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def set_community_notification_level(*, user: User, community, level: str) -> str:
    """How much `user` hears from `community` from now on; setting it again changes nothing.
    Callers check that the person may see the community."""
    if level not in NotificationLevel.values:
        raise ValidationError({"level": "Choose one of the notification settings."})
    with transaction.atomic(durable=True):
        CommunityNotificationSetting.objects.update_or_create(
            user=user, community=community, defaults={"level": level}
        )
    return level


# The circle form's choice that removes the circle's own setting.
AS_COMMUNITY = "community"


def set_circle_notification_level(*, user: User, circle: Circle, level: str) -> str:
    """How much `user` hears from `circle`'s threads from now on, overriding their setting
    for its community; `AS_COMMUNITY` removes the override. Only the circle's active members
    choose, each for themselves; setting it again changes nothing."""
    if not can_choose_circle_notifications(user, circle):
        raise ValidationError(
            f"Only members of {circle.name} choose how they hear from it: join it first."
        )
    if level != AS_COMMUNITY and level not in NotificationLevel.values:
        raise ValidationError({"level": "Choose one of the notification settings."})
    with transaction.atomic(durable=True):
        if level == AS_COMMUNITY:
            CircleNotificationSetting.objects.filter(user=user, circle=circle).delete()
        else:
            CircleNotificationSetting.objects.update_or_create(
                user=user, circle=circle, defaults={"level": level}
            )
    return level
