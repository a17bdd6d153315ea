"""What each member has read: their last visit of a thread, and "mark all read" per community."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ThreadVisit(models.Model):
    """When `user` last opened `thread`; a thread is new to them when it moved since."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_visits"
    )
    thread = models.ForeignKey(
        "communities.Thread", on_delete=models.CASCADE, related_name="visits"
    )
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="one_visit_per_thread"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} at {self.seen_at:%Y-%m-%d %H:%M}"


class CommunityReadMark(models.Model):
    """`user` marked every thread of `community` read at `read_at` ("mark all read")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_read_marks"
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="read_marks"
    )
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"], name="one_read_mark_per_community"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.community_id} up to {self.read_at:%Y-%m-%d %H:%M}"
