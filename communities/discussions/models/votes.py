"""Votes and thanks on replies: one of each per person and reply."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Vote(models.Model):
    post = models.ForeignKey("communities.Post", on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="one_vote_per_post_and_user"),
        ]

    def __str__(self) -> str:
        return f"Vote on reply {self.post_id}"


class Thanks(models.Model):
    post = models.ForeignKey("communities.Post", on_delete=models.CASCADE, related_name="thanks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thanks_given"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "thanks"
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="one_thanks_per_post_and_user"),
        ]

    def __str__(self) -> str:
        return f"Thanks for reply {self.post_id}"
