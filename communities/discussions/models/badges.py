"""Recognition: badges members earn in a community, awarded by the services as they happen."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class BadgeKind(models.TextChoices):
    FIRST_QUESTION = "first_question", "First question"
    FIRST_ANSWER = "first_answer", "First answer"
    HELPFUL_ANSWER = "helpful_answer", "Helpful answer"
    VERIFIED_EXPERT = "verified_expert", "Verified expert"
    WELCOMER = "welcomer", "Welcomer"
    CURIOUS_MIND = "curious_mind", "Curious mind"
    STREAK = "streak", "Four-week streak"


BADGE_DESCRIPTIONS = {
    BadgeKind.FIRST_QUESTION: "Asked a first question.",
    BadgeKind.FIRST_ANSWER: "Answered someone's question for the first time.",
    BadgeKind.HELPFUL_ANSWER: "Wrote an answer the asker accepted.",
    BadgeKind.VERIFIED_EXPERT: "Recognised by the community's managers as an expert in a topic.",
    BadgeKind.WELCOMER: "Replied to five newcomers' first threads.",
    BadgeKind.CURIOUS_MIND: "Asked ten questions.",
    BadgeKind.STREAK: "Took part four weeks in a row.",
}


class AwardedBadge(models.Model):
    """One badge held by one member in one community (and for one tag: verified expert).

    The badge names no thread, so it can never point at an anonymous question.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges"
    )
    kind = models.CharField(max_length=20, choices=BadgeKind.choices)
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="awarded_badges"
    )
    tag = models.ForeignKey(
        "communities.Tag", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-awarded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "community"],
                condition=Q(tag__isnull=True),
                name="one_badge_per_kind_and_community",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "community", "tag"],
                condition=Q(tag__isnull=False),
                name="one_badge_per_kind_community_and_tag",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user_id}"

    @property
    def description(self) -> str:
        return BADGE_DESCRIPTIONS.get(self.kind, "")
