"""Who gets which digest, and the rows that make each email go out once."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class DigestKind(models.TextChoices):
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"


class EmailKind(models.TextChoices):
    """Kinds of email a member can turn off with one click (RFC 8058)."""

    DIGEST = "digest", "digests"
    ESCALATION = "escalation", "questions you could help with"


class DeliveryStatus(models.TextChoices):
    CLAIMED = "claimed", "Claimed"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Skipped"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class DigestSettings(models.Model):
    """A member's digest choices beside `User.digest_frequency`; no row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_settings"
    )
    weekday = models.PositiveSmallIntegerField(
        "weekly digest on", choices=Weekday.choices, default=Weekday.MONDAY
    )
    wants_escalations = models.BooleanField("email me questions I could help with", default=True)
    is_bouncing = models.BooleanField(default=False)
    # Filled from the mail server's delivery-status notifications (`process_bounces`).
    soft_bounces = models.PositiveSmallIntegerField(default=0)
    bounced_at = models.DateTimeField(null=True, blank=True)
    bounce_reason = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "digest settings"

    def __str__(self) -> str:
        return f"Digest settings of {self.user_id}"


class DigestDelivery(models.Model):
    """One digest of `kind` for `member` in `period` ("2026-11-28", "2026-W48").

    The unique constraint is the claim: a batch inserts the rows of its members before it
    sends anything, and only the batch whose `claim_token` is on a row sends that email.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    kind = models.CharField(max_length=10, choices=DigestKind.choices)
    period = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    skip_reason = models.CharField(max_length=20, blank=True)
    claim_token = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind", "period"], name="one_digest_per_member_kind_period"
            ),
        ]
        indexes = [models.Index(fields=["kind", "period", "status"], name="digest_due")]
        verbose_name_plural = "digest deliveries"

    def __str__(self) -> str:
        return f"{self.kind} {self.period} for {self.member_id}: {self.status}"


class EscalationSettings(models.Model):
    """When a community's unanswered questions are sent to members who could help."""

    community = models.OneToOneField(
        "communities.Community", on_delete=models.CASCADE, related_name="escalation_settings"
    )
    after_hours = models.PositiveSmallIntegerField(
        "send an unanswered question to experts after (hours)",
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(23)],
    )
    recipients = models.PositiveSmallIntegerField(
        "how many members to ask",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    is_enabled = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "escalation settings"

    def __str__(self) -> str:
        return f"Escalation settings of {self.community_id}"


class EscalationDelivery(models.Model):
    """An unanswered question sent to one member; never twice to the same member."""

    thread = models.ForeignKey(
        "communities.Thread", on_delete=models.CASCADE, related_name="escalations"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="escalations"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "member"], name="one_escalation_per_member"),
        ]
        verbose_name_plural = "escalation deliveries"

    def __str__(self) -> str:
        return f"Thread {self.thread_id} sent to {self.member_id}"
