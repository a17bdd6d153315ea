"""Flags members raise on threads and replies, warnings moderators give, and the private
notices that tell people what moderation decided."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

FLAG_NOTE_MAX_LENGTH = 1000
WARNING_MAX_LENGTH = 2000


class FlagReason(models.TextChoices):
    OFF_TOPIC = "off_topic", "Off-topic"
    DISRESPECTFUL = "disrespectful", "Disrespectful"
    MISINFORMATION = "misinformation", "Misinformation"
    SPAM = "spam", "Spam"
    OTHER = "other", "Other"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Waiting for a moderator"
    UPHELD = "upheld", "Upheld"
    DISMISSED = "dismissed", "Dismissed"


class Flag(models.Model):
    """A member's report on a thread (post empty) or on one reply of it.

    The weight is fixed when the flag is raised, from the flagger's record at that moment.
    """

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="flags"
    )
    thread = models.ForeignKey("communities.Thread", on_delete=models.CASCADE, related_name="flags")
    post = models.ForeignKey(
        "communities.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_raised"
    )
    reason = models.CharField(max_length=20, choices=FlagReason.choices)
    note = models.TextField(max_length=FLAG_NOTE_MAX_LENGTH, blank=True)
    weight = models.FloatField(default=1.0)
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["community", "status"])]
        constraints = [
            # Two partial constraints, because a NULL post would make one constraint toothless.
            models.UniqueConstraint(
                fields=["flagger", "thread"],
                condition=Q(status="open", post__isnull=True),
                name="one_open_flag_per_person_and_thread",
            ),
            models.UniqueConstraint(
                fields=["flagger", "post"],
                condition=Q(status="open", post__isnull=False),
                name="one_open_flag_per_person_and_post",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} flag on thread {self.thread_id}"

    @property
    def is_open(self) -> bool:
        return self.status == FlagStatus.OPEN


class MemberWarning(models.Model):
    """A private warning a moderator gave a member; only the member and moderators see it."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="member_warnings"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="warnings_received"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(max_length=WARNING_MAX_LENGTH)
    thread = models.ForeignKey(
        "communities.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Warning to {self.member_id} in {self.community_id}"


class NoticeKind(models.TextChoices):
    FLAG_OUTCOME = "flag_outcome", "Outcome of your flag"
    CONTENT_HIDDEN = "content_hidden", "Your post was hidden"
    CONTENT_RESTORED = "content_restored", "Your post was restored"
    WARNING = "warning", "Warning from the moderators"


class ModerationNotice(models.Model):
    """What moderation tells one person privately; shown on their outcomes page and emailed
    once (`emailed_at` is the claim that keeps the email from going twice)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_notices"
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=4000)
    thread = models.ForeignKey(
        "communities.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject
