"""A community's daily health snapshot and the stage proposals the engine makes from them."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from communities.health.stages import STAGE_CHOICES


class HealthSnapshot(models.Model):
    """One community's numbers on one day (the 30 days to the end of `taken_on`, UTC, unless a
    field says "week"). Recomputing a day replaces its row."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="health_snapshots"
    )
    taken_on = models.DateField()
    age_days = models.PositiveIntegerField(default=0)
    members = models.PositiveIntegerField(default=0)
    new_members = models.PositiveIntegerField("members who joined in the week", default=0)
    members_left = models.PositiveIntegerField("members who left in the week", default=0)
    active_members = models.PositiveIntegerField(default=0)
    lurkers = models.PositiveIntegerField(default=0)
    contributors = models.PositiveIntegerField(default=0)
    creators = models.PositiveIntegerField(default=0)
    threads_week = models.PositiveIntegerField(default=0)
    replies_week = models.PositiveIntegerField(default=0)
    questions_asked = models.PositiveIntegerField(default=0)
    questions_answered = models.PositiveIntegerField(default=0)
    questions_accepted = models.PositiveIntegerField(default=0)
    median_first_answer_hours = models.FloatField(null=True, blank=True)
    unanswered_24h = models.PositiveIntegerField(default=0)
    leader_post_share = models.FloatField(default=0.0)
    answered_by_members_share = models.FloatField(default=0.0)
    circle_attendance = models.PositiveIntegerField(default=0)
    # CHAOSS New Contributors / Inactive Contributors / Burstiness over the 30 days.
    new_contributors = models.PositiveIntegerField(default=0)
    inactive_contributors = models.PositiveIntegerField(default=0)
    burstiness = models.FloatField(null=True, blank=True)
    # helpers, answers, connectors [[user id, betweenness]], isolated [user ids],
    # reciprocity, absence_factor, top5_share (see communities.health.network).
    network = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["community", "taken_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "taken_on"], name="one_health_snapshot_per_community_and_day"
            ),
        ]

    def __str__(self) -> str:
        return f"Health of community {self.community_id} on {self.taken_on}"

    @property
    def posts_week(self) -> int:
        return self.threads_week + self.replies_week


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a manager"
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"
    SUPERSEDED = "superseded", "Replaced by a newer proposal"


class StageProposal(models.Model):
    """The stage engine's proposal for a community, waiting for a manager to confirm or
    dismiss it. A dismissed proposal is not made again while the same rule keeps firing."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="stage_proposals"
    )
    stage = models.CharField(max_length=16, choices=STAGE_CHOICES)
    reason = models.TextField(max_length=2000)
    rule = models.CharField(max_length=40)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    proposed_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The day the signal behind a dismissed proposal stopped firing: from then on the same
    # signal, firing again, makes a new proposal.
    lapsed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(status="pending"),
                name="one_pending_stage_proposal_per_community",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} proposed for community {self.community_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING


class MembershipStateChange(models.Model):
    """A membership's status or role changed (joined again, left, banned, appointed): kept
    so a past day's snapshot counts who was a member, and who led, at the end of that day."""

    membership = models.ForeignKey(
        "communities.Membership", on_delete=models.CASCADE, related_name="state_changes"
    )
    changed_at = models.DateTimeField(db_index=True)
    status_before = models.CharField(max_length=10)
    role_before = models.CharField(max_length=12)
    status_after = models.CharField(max_length=10)
    role_after = models.CharField(max_length=12)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"Membership {self.membership_id} → {self.status_after}/{self.role_after}"


class AcceptedAnswerChange(models.Model):
    """A question's accepted answer changed: kept so a past day counts only the answers
    accepted by the end of that day."""

    thread = models.ForeignKey(
        "communities.Thread", on_delete=models.CASCADE, related_name="accepted_answer_changes"
    )
    changed_at = models.DateTimeField(db_index=True)
    post_before_id = models.BigIntegerField(null=True, blank=True)
    post_after_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"Thread {self.thread_id} accepted {self.post_after_id}"
