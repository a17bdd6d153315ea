import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a manager"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class JoinRequest(models.Model):
    """A request to join a restricted community, decided by its managers."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField("why I want to join", max_length=1000)
    status = models.CharField(
        max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_message = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Claimed by `send_once` when the decision email goes out.
    decision_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "user"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.community} ({self.status})"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """An invitation into a community: a shareable link, addressed to one existing user (by
    handle), or to an email address (whoever confirms that address may use it; nobody is told
    whether it belongs to an account).

    Links are signed and carry this row's token; the row says whether it still works.
    """

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="invitations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations_received",
    )
    email = models.EmailField(blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    expires_at = models.DateTimeField()
    max_uses = models.PositiveIntegerField(default=1)
    use_count = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Claimed by `send_once` when a direct invitation's email goes out.
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_uses__gte=1, max_uses__lte=1000), name="invitation_uses_in_range"
            ),
            models.CheckConstraint(
                condition=Q(use_count__lte=models.F("max_uses")), name="invitation_not_overused"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.community} ({self.use_count}/{self.max_uses})"

    @property
    def is_open(self) -> bool:
        """Still usable: not withdrawn, not expired, not used up (only these can be withdrawn)."""
        return (
            self.revoked_at is None
            and self.expires_at > timezone.now()
            and self.use_count < self.max_uses
        )

    @property
    def is_link(self) -> bool:
        """A shareable link, addressed to nobody in particular."""
        return self.invitee_id is None and not self.email
