from django.conf import settings
from django.db import models
from django.utils import timezone


class EmailOptOut(models.Model):
    """A member turned one kind of email off (one-click unsubscribe or their settings);
    no row means the email is on. Kinds with a setting of their own (the digest's
    frequency, `User.notify_by_email`) don't use it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_user_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} turned off {self.kind} emails"
