"""Mentoring: programmes, profiles, pairings (proposals and relationships), goals, sessions,
reflections and the notices sent about them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

CAPACITY_MIN, CAPACITY_MAX = 1, 10


class ProgrammeKind(models.TextChoices):
    MENTORING = "mentoring", "Mentoring: an experienced member guides a newer one"
    PEER = "peer", "Peer coaching: reciprocal pairs trade skills"
    BUDDY = "buddy", "Onboarding buddies: each newcomer gets a buddy for 90 days"


class MentorEligibility(models.TextChoices):
    ANY_MEMBER = "any", "Any member"
    CHAMPIONS = "champions", "Champions, moderators and managers"


class MatchingMode(models.TextChoices):
    WHOLE_POOL = "pool", "Whole pool: the manager runs matching and reviews proposals"
    MENTEE_LED = "mentee", "Mentee-led: mentees request a mentor from a ranked list"


class Programme(models.Model):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="mentoring_programmes"
    )
    name = models.CharField(max_length=120)
    purpose = models.TextField(max_length=2000)
    kind = models.CharField(max_length=12, choices=ProgrammeKind.choices)
    mentor_eligibility = models.CharField(
        max_length=12, choices=MentorEligibility.choices, default=MentorEligibility.ANY_MEMBER
    )
    matching_mode = models.CharField(
        max_length=8, choices=MatchingMode.choices, default=MatchingMode.WHOLE_POOL
    )
    cadence_days = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    length_days = models.PositiveSmallIntegerField(
        default=180, validators=[MinValueValidator(7), MaxValueValidator(730)]
    )
    request_deadline_days = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    # A comma-separated list the programme defines, e.g. "career changer, returning parent".
    experience_options = models.CharField(max_length=500, blank=True)
    guide = models.TextField("guide for mentors", max_length=10000, blank=True)
    guide_html = models.TextField(blank=True, editable=False)
    weight_topics = models.FloatField(default=4.0)
    weight_experience = models.FloatField(default=2.0)
    weight_timezone = models.FloatField(default=2.0)
    weight_language = models.FloatField(default=1.0)
    weight_activity = models.FloatField(default=2.0)
    is_open = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_topics__gte=0)
                & Q(weight_experience__gte=0)
                & Q(weight_timezone__gte=0)
                & Q(weight_language__gte=0)
                & Q(weight_activity__gte=0),
                name="mentoring_weights_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def experience_choices(self) -> list[str]:
        return [e.strip().lower() for e in self.experience_options.split(",") if e.strip()]

    @property
    def is_peer(self) -> bool:
        return self.kind == ProgrammeKind.PEER

    @property
    def is_mentee_led(self) -> bool:
        return self.matching_mode == MatchingMode.MENTEE_LED


class Availability(models.Model):
    """Working hours in a timezone and languages: shared by mentor and mentee profiles."""

    timezone = models.CharField(max_length=64, default="UTC")
    hours_from = models.PositiveSmallIntegerField(default=9, validators=[MaxValueValidator(23)])
    hours_to = models.PositiveSmallIntegerField(default=17, validators=[MaxValueValidator(23)])
    # Comma-separated, lower case: "english, spanish".
    languages = models.CharField(max_length=200, default="english")
    experiences = models.CharField(max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def language_list(self) -> list[str]:
        return [x.strip() for x in self.languages.split(",") if x.strip()]

    @property
    def experience_list(self) -> list[str]:
        return [x.strip() for x in self.experiences.split(",") if x.strip()]


class MentorProfile(Availability):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="mentors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profiles"
    )
    topics = models.ManyToManyField("communities.Tag", related_name="+")
    capacity = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(CAPACITY_MIN), MaxValueValidator(CAPACITY_MAX)]
    )
    # Places held by offered, requested, active and paused pairings; kept in the same
    # transaction as the pairing's change, under a row lock, and bounded by a constraint.
    seats_taken = models.PositiveSmallIntegerField(default=0, editable=False)
    pitch = models.TextField(max_length=1000, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="one_mentor_profile"),
            models.CheckConstraint(
                condition=Q(capacity__gte=CAPACITY_MIN) & Q(capacity__lte=CAPACITY_MAX),
                name="mentor_capacity_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")), name="mentor_seats_within_capacity"
            ),
        ]

    def __str__(self) -> str:
        return f"Mentor {self.user} in {self.programme}"

    @property
    def seats_free(self) -> int:
        return max(self.capacity - self.seats_taken, 0)


class MenteeRequest(Availability):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for a match"
        MATCHED = "matched", "Matched"
        WITHDRAWN = "withdrawn", "Withdrawn"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="mentees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentee_requests"
    )
    goals = models.TextField(max_length=2000)
    topics = models.ManyToManyField("communities.Tag", related_name="+", blank=True)
    preferred_mentor = models.ForeignKey(
        MentorProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(default=timezone.now)
    matched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="one_mentee_request"),
        ]
        indexes = [models.Index(fields=["programme", "status", "created_at"])]

    def __str__(self) -> str:
        return f"Mentee {self.user} in {self.programme}"


class PairingStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed, waiting for the manager's review"
    OFFERED = "offered", "Waiting for both to accept"
    REQUESTED = "requested", "Requested by the mentee, waiting for the mentor"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    DECLINED = "declined", "Declined"
    LAPSED = "lapsed", "Lapsed without an answer"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DROPPED = "dropped", "Dropped by the manager"
    CLOSED = "closed", "Closed"


# Pairings that hold one of the mentor's places.
SEAT_HOLDING = (
    PairingStatus.OFFERED,
    PairingStatus.REQUESTED,
    PairingStatus.ACTIVE,
    PairingStatus.PAUSED,
)
LIVE = (PairingStatus.PROPOSED, *SEAT_HOLDING)


class Pairing(models.Model):
    """A mentee and a mentor in a programme: first a proposal (or a mentee's request), then,
    once both accept, a relationship."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="pairings")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="pairings")
    mentee = models.ForeignKey(MenteeRequest, on_delete=models.CASCADE, related_name="pairings")
    status = models.CharField(max_length=10, choices=PairingStatus.choices)
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    is_reciprocal = models.BooleanField(default=False)
    mentor_accepted_at = models.DateTimeField(null=True, blank=True)
    mentee_accepted_at = models.DateTimeField(null=True, blank=True)
    # What each side wrote when accepting, and the decliner's words: the other side reads them.
    mentor_message = models.TextField(max_length=1000, blank=True)
    mentee_message = models.TextField(max_length=1000, blank=True)
    decline_message = models.TextField(max_length=1000, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    respond_by = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    offered_at = models.DateTimeField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_session_on = models.DateField(null=True, blank=True)
    session_count = models.PositiveIntegerField(default=0)
    stall_count = models.PositiveSmallIntegerField(default=0)
    next_session_at = models.DateTimeField(null=True, blank=True)
    next_session_minutes = models.PositiveSmallIntegerField(default=60)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=Q(status__in=LIVE),
                name="one_live_pairing_per_pair",
            ),
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=SEAT_HOLDING),
                name="one_mentor_at_a_time",
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return f"{self.mentor.user} and {self.mentee.user} ({self.status})"

    def side_of(self, user) -> str | None:
        if user.pk == self.mentor.user_id:
            return "mentor"
        if user.pk == self.mentee.user_id:
            return "mentee"
        return None

    @property
    def is_active(self) -> bool:
        return self.status == PairingStatus.ACTIVE


class Goal(models.Model):
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200)
    why = models.TextField(max_length=2000, blank=True)
    target_on = models.DateField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    progress_comment = models.CharField(max_length=500, blank=True)
    is_done = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["is_done", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="goal_progress_0_to_100"
            ),
        ]

    def __str__(self) -> str:
        return f"Goal {self.pk} of pairing {self.pairing_id}"


class MentoringSession(models.Model):
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    topics = models.CharField(max_length=300, blank=True)
    notes = models.TextField(max_length=10000, blank=True)
    action_items = models.TextField(max_length=2000, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Session {self.pk} of pairing {self.pairing_id}"


class Reflection(models.Model):
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=2000)
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pairing", "author"], name="one_reflection_each"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="reflection_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"Reflection on pairing {self.pairing_id}"


class NoticeKind(models.TextChoices):
    OFFERED = "offered", "A proposal to accept"
    REQUESTED = "requested", "A mentee's request"
    ACTIVE = "active", "The relationship started"
    DECLINED = "declined", "Declined"
    LAPSED = "lapsed", "A request lapsed"
    REQUEST_REMINDER = "request_reminder", "A request is about to lapse"
    NO_SESSION = "no_session", "No session lately"
    STALLED = "stalled", "Stalled twice"
    BUDDY = "buddy", "A buddy proposed"


class Notice(models.Model):
    """One email to one person about one pairing; the unique key makes every notice and
    nudge go out once, however often the job or service runs."""

    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # What makes a repeat a new notice, e.g. the date of the last session for a lapse.
    key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "pairing", "recipient", "key"], name="one_notice_per_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id} about pairing {self.pairing_id}"
