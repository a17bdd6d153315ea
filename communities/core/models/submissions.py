"""Form submissions claimed by their token, so one submission creates one thing."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class FormSubmission(models.Model):
    """A creation form that was sent, under the token its page was rendered with. The
    unique (user, token) pair is the claim: a second POST of the same form (a double click,
    two tabs, a resend) finds the first one's row and answers with what it created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    # Random per attempt: tells the attempt that inserted the row from one that found it.
    attempt = models.CharField(max_length=32)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="one_submission_per_token"),
        ]

    def __str__(self) -> str:
        return f"Form submission {self.token} of user {self.user_id}"
