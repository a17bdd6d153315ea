"""Follows and in-app notifications: who hears about what happens in a thread, and short
notices from other apps (a mentoring relationship started) that link to a page of their own."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Follow(models.Model):
    """A person follows exactly one thread, tag or community."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    thread = models.ForeignKey(
        "communities.Thread",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    tag = models.ForeignKey(
        "communities.Tag", null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(thread__isnull=False, tag__isnull=True, community__isnull=True)
                    | Q(thread__isnull=True, tag__isnull=False, community__isnull=True)
                    | Q(thread__isnull=True, tag__isnull=True, community__isnull=False)
                ),
                name="follow_has_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="follow_thread_once",
            ),
            models.UniqueConstraint(
                fields=["user", "tag"], condition=Q(tag__isnull=False), name="follow_tag_once"
            ),
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(community__isnull=False),
                name="follow_community_once",
            ),
        ]

    def __str__(self) -> str:
        target = self.thread_id or self.tag_id or self.community_id
        return f"Follow {target} by {self.user_id}"


class NotificationKind(models.TextChoices):
    MENTION = "mention", "Mentioned you"
    REPLY = "reply", "Replied to you"
    ANSWER_ACCEPTED = "answer_accepted", "Accepted your answer"
    ANSWER_VERIFIED = "answer_verified", "Verified an answer"
    FOLLOWED_THREAD = "followed_thread", "New reply in a thread you follow"
    FOLLOWED_TAG = "followed_tag", "New thread with a tag you follow"
    FOLLOWED_COMMUNITY = "followed_community", "New thread in a community you follow"
    NOTICE = "notice", "Notice"


class Notification(models.Model):
    """Something that happened that `recipient` should hear about, once per event.

    `event` names what happened ("post:12", "thread:3", "accepted:12"); the unique constraint
    on (recipient, event) is what keeps a mention in a followed thread from arriving twice.
    `actor` is None when the actor is the anonymous asker of the thread: never stored, never
    shown.

    A `notice` is about no thread: it carries its own short `message` and the absolute path
    (`url`) of the page it is about, and is created through `communities.public.notify`.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    event = models.CharField(max_length=40)
    thread = models.ForeignKey(
        "communities.Thread",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    message = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=300, blank=True)
    post = models.ForeignKey(
        "communities.Post",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event"], name="one_notification_per_event_and_recipient"
            ),
            # A notice says what happened and links to a page on this site; anything else is
            # about a thread.
            models.CheckConstraint(
                condition=(
                    Q(kind=NotificationKind.NOTICE, thread__isnull=True, url__startswith="/")
                    & ~Q(url__startswith="//")
                    & ~Q(message="")
                )
                | (~Q(kind=NotificationKind.NOTICE) & Q(thread__isnull=False)),
                name="notification_about_a_thread_or_a_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def is_answer(self) -> bool:
        """A reply that answers the recipient's question (a top-level post on a question
        thread), told as "answered" rather than "replied". Load with `post` and `thread`."""
        return (
            self.kind == NotificationKind.REPLY
            and self.post_id is not None
            and self.post.parent_id is None
            and self.thread is not None
            and self.thread.is_question
        )


class NotificationLevel(models.TextChoices):
    ALL = "all", "All activity"
    QUESTIONS = "questions", "Questions only"
    MENTIONS = "mentions", "Mentions and replies to me only"
    MUTE = "mute", "Mute"


class CommunityNotificationSetting(models.Model):
    """How much one person hears from one community; no row means all activity."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField(max_length=10, choices=NotificationLevel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"], name="one_notification_setting_per_community"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.community_id}: {self.level}"


class CircleNotificationSetting(models.Model):
    """How much one person hears from one circle's threads; it overrides their setting for
    the circle's community. No row means the community's setting applies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    circle = models.ForeignKey("communities.Circle", on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=10, choices=NotificationLevel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "circle"], name="one_notification_setting_per_circle"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in circle {self.circle_id}: {self.level}"
