import zoneinfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

USERNAME_PATTERN = r"^[A-Za-z0-9_]{2,30}$"
BIO_MAX_LENGTH = 2000
MOTIVATION_MAX_LENGTH = 500


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class DigestFrequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    NEVER = "never", "Never"


class User(AbstractUser):
    """A person on Trellis. They sign in with their email; the username is their @handle."""

    username = models.CharField(
        "handle",
        max_length=30,
        unique=True,
        validators=[
            RegexValidator(
                USERNAME_PATTERN,
                "Use 2 to 30 letters, digits or underscores; others mention you as @handle.",
            )
        ],
        error_messages={"unique": "Someone already uses that handle."},
    )
    email = models.EmailField(
        "email address", unique=True, error_messages={"unique": "That email is already in use."}
    )
    display_name = models.CharField(max_length=80, blank=True)
    bio = models.TextField(max_length=BIO_MAX_LENGTH, blank=True)
    motivation = models.TextField(
        "the difference I want to make", max_length=MOTIVATION_MAX_LENGTH, blank=True
    )
    timezone = models.CharField(max_length=64, default="UTC")
    digest_frequency = models.CharField(
        max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY
    )
    expertise = models.ManyToManyField("communities.Tag", blank=True, related_name="experts")
    notify_by_email = models.BooleanField("email me about mentions and answers", default=True)
    notify_on_follows = models.BooleanField("notify me about threads I follow", default=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    objects = UserManager()

    class Meta:
        ordering = ["username"]
        # The member directory's order: its page of ids comes through this index.
        indexes = [models.Index(fields=["display_name", "username"], name="user_directory_order")]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.timezone not in zoneinfo.available_timezones():
            raise ValidationError({"timezone": "Choose a timezone from the list."})
