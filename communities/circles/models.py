import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q

CIRCLE_MIN_SIZE = 4
CIRCLE_MAX_SIZE = 8
PLACE_MAX_LENGTH = 200
VIDEO_URL_MAX_LENGTH = 500
VIDEO_LINK_MESSAGE = "Give a video link that starts with https:// (or http://)."

_web_address = URLValidator(schemes=["http", "https"])


def validate_video_url(value: str) -> None:
    """Only web addresses: a `javascript:` or `data:` link would run in the reader's page."""
    try:
        _web_address(value)
    except ValidationError as error:
        raise ValidationError(VIDEO_LINK_MESSAGE, code="video_url") from error


class CircleKind(models.TextChoices):
    LEARNING = "learning", "Learning circle"
    WORKING_OUT_LOUD = "wol", "Working-out-loud circle"
    MASTERMIND = "mastermind", "Mastermind"


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class CircleStatus(models.TextChoices):
    FORMING = "forming", "Forming (needs 4 members)"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class Circle(models.Model):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="circles"
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60)
    kind = models.CharField(max_length=12, choices=CircleKind.choices)
    purpose = models.TextField(max_length=2000)
    learning_goals = models.TextField("shared learning goals", max_length=4000)
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.WEEKLY)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    time_of_day = models.TimeField()
    timezone = models.CharField(max_length=64, default="UTC")
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    # Where the circle usually meets; each meeting may say otherwise.
    place = models.CharField(max_length=PLACE_MAX_LENGTH, blank=True)
    video_url = models.URLField(
        "video link", max_length=VIDEO_URL_MAX_LENGTH, blank=True, validators=[validate_video_url]
    )
    capacity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(CIRCLE_MIN_SIZE), MaxValueValidator(CIRCLE_MAX_SIZE)]
    )
    status = models.CharField(
        max_length=10, choices=CircleStatus.choices, default=CircleStatus.FORMING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Proposed by a brand-new account: hidden from anonymous visitors until a manager,
    # moderator or staff approves it or the account is established.
    is_held_for_review = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="circle_slug_per_community"),
            models.CheckConstraint(
                condition=Q(capacity__gte=CIRCLE_MIN_SIZE, capacity__lte=CIRCLE_MAX_SIZE),
                name="circle_capacity_4_to_8",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CircleMembershipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    LEFT = "left", "Left"


class CircleMembership(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_memberships"
    )
    status = models.CharField(
        max_length=8, choices=CircleMembershipStatus.choices, default=CircleMembershipStatus.ACTIVE
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["circle", "user"], name="one_circle_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.circle}"


class CircleMeeting(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="meetings")
    sequence = models.PositiveIntegerField()
    starts_at = models.DateTimeField(db_index=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    timekeeper = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(max_length=20000, blank=True)
    notes_updated_at = models.DateTimeField(null=True, blank=True)
    # Counts saves of the notes; a form sends the version it started from (see
    # save_meeting_notes), so a stale form can't overwrite newer notes.
    notes_version = models.PositiveIntegerField(default=0)
    is_cancelled = models.BooleanField(default=False)
    # Blank: the circle's usual place and link.
    place = models.CharField(max_length=PLACE_MAX_LENGTH, blank=True)
    video_url = models.URLField(
        "video link", max_length=VIDEO_URL_MAX_LENGTH, blank=True, validators=[validate_video_url]
    )

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["circle", "sequence"], name="meeting_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.circle} #{self.sequence} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def where(self) -> str:
        """The meeting's place, or the circle's usual one."""
        return self.place or self.circle.place

    @property
    def video_link(self) -> str:
        return self.video_url or self.circle.video_url


class MeetingNotesRevision(models.Model):
    """The notes a meeting had before a save replaced them."""

    meeting = models.ForeignKey(
        CircleMeeting, on_delete=models.CASCADE, related_name="notes_revisions"
    )
    notes = models.TextField(max_length=20000)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Earlier notes of {self.meeting}"


class Rsvp(models.TextChoices):
    UNKNOWN = "unknown", "Not answered"
    YES = "yes", "Coming"
    NO = "no", "Not coming"


class MeetingParticipation(models.Model):
    """One member's side of one meeting: RSVP, attendance, commitment, reflection."""

    meeting = models.ForeignKey(
        CircleMeeting, on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_participations"
    )
    rsvp = models.CharField(max_length=8, choices=Rsvp.choices, default=Rsvp.UNKNOWN)
    attended = models.BooleanField(null=True, blank=True)
    commitment = models.TextField("my commitment for next time", max_length=1000, blank=True)
    reflection = models.TextField(max_length=2000, blank=True)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Claimed by the reminder job before it sends, so each member gets one reminder.
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_participation"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.meeting}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of a member's iCalendar feed of upcoming meetings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
