"""Conversation starters that managers write from templates and publish now or later."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from communities.discussions.models.threads import BODY_MAX_LENGTH, TITLE_MAX_LENGTH


class PromptKind(models.TextChoices):
    EXPERIENCE = "experience", "Experience"
    ADVICE_SEEKING = "advice", "Advice-seeking"
    OPINION = "opinion", "Opinion"
    PROBLEM_SOLVING = "problem", "Problem-solving"
    CREATIVE = "creative", "Creative"
    REFLECTIVE = "reflective", "Reflective"


class PromptStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    # Only ever seen inside the publishing transaction: it is the claim on the row.
    PUBLISHING = "publishing", "Publishing"
    PUBLISHED = "published", "Published"
    CANCELLED = "cancelled", "Cancelled"
    FAILED = "failed", "Could not publish"


class ScheduledPrompt(models.Model):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="prompts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="prompts"
    )
    kind = models.CharField(max_length=16, choices=PromptKind.choices)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    body = models.TextField(max_length=BODY_MAX_LENGTH, help_text="Markdown")
    tags = models.ManyToManyField("communities.Tag", blank=True, related_name="prompts")
    publish_at = models.DateTimeField(db_index=True)
    status = models.CharField(
        max_length=12, choices=PromptStatus.choices, default=PromptStatus.SCHEDULED
    )
    published_thread = models.OneToOneField(
        "communities.Thread",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prompt",
    )
    failure_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["publish_at", "pk"]
        indexes = [models.Index(fields=["status", "publish_at"], name="prompt_due")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_prompt_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title
