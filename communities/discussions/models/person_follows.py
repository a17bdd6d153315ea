"""Following a person: their new threads and answers reach the follower's home."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class PersonFollow(models.Model):
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="people_followed"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "person"], name="follow_person_once"),
            models.CheckConstraint(condition=~Q(follower=F("person")), name="no_following_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.person_id}"
