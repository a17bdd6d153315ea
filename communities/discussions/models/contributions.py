"""The rising stars' counts, rolled up per community, member and day by a job, so the
community page reads a few rows per member instead of counting every recent post."""

from django.conf import settings
from django.db import models


class DailyContribution(models.Model):
    """Questions and answers of one member in one community on one day (UTC) that count
    toward its rising stars: anonymous questions (and their asker's replies in them), hidden
    posts and threads and circle threads are left out when the row is written; whether the
    member is active is asked when it is read. Written only by `services/contributions.py`."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    questions = models.PositiveIntegerField(default=0)
    answers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # Also the index the community page reads through: one community, recent days.
            models.UniqueConstraint(
                fields=["community", "day", "user"], name="one_contribution_per_member_and_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.community_id} on {self.day}"


class ContributionRollup(models.Model):
    """How far a community's `DailyContribution` rows reach: they count what was created
    before `counted_until` (null: not yet rolled up); the page counts the rest live."""

    community = models.OneToOneField(
        "communities.Community", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    counted_until = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"Contributions of {self.community_id} until {self.counted_until}"
