"""Peer review: rubrics, rounds, submissions and their versions, reviews, results, notices."""

from django.conf import settings
from django.db import models
from django.db.models import Q

USER = settings.AUTH_USER_MODEL


class Rubric(models.Model):
    """Criteria with ordered levels. Once a round that uses it has opened it is locked:
    editing makes a new version (`previous` points back), the round keeps this one."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="rubrics"
    )
    circle = models.ForeignKey(
        "communities.Circle", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=160)
    version = models.PositiveIntegerField(default=1)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_versions"
    )
    is_locked = models.BooleanField(default=False)
    max_points = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "-version"]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=160)
    description = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "position"], name="criterion_position"),
        ]

    def __str__(self) -> str:
        return self.title


class Level(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="levels")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=80)
    description = models.TextField(max_length=1000, blank=True)
    points = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "position"], name="level_position"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.points})"


class Phase(models.TextChoices):
    DRAFT = "draft", "Draft (not open yet)"
    SUBMISSION = "submission", "Submission"
    REVIEW = "review", "Review"
    REVISION = "revision", "Revision"
    REREVIEW = "rereview", "Re-review"
    CLOSED = "closed", "Closed"


PHASE_ORDER = [p.value for p in Phase]


class Anonymity(models.TextChoices):
    DOUBLE = "double", "Authors and reviewers hidden from each other"
    REVIEWERS_HIDDEN = "reviewers", "Reviewers hidden from authors"
    OPEN = "open", "Open: everyone sees names"


class Participation(models.TextChoices):
    CIRCLE = "circle", "Every member of the circle"
    SUBMITTERS = "submitters", "Members who submit"


class Round(models.Model):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="review_rounds"
    )
    circle = models.ForeignKey(
        "communities.Circle",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_rounds",
    )
    title = models.CharField(max_length=160)
    instructions = models.TextField(max_length=20000, help_text="Markdown")
    instructions_html = models.TextField(editable=False, default="")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="rounds")
    reviewers_per_submission = models.PositiveSmallIntegerField(
        choices=[(2, "2"), (3, "3")], default=2
    )
    anonymity = models.CharField(max_length=10, choices=Anonymity.choices)
    participation = models.CharField(
        max_length=10, choices=Participation.choices, default=Participation.SUBMITTERS
    )
    exclude_circle_peers = models.BooleanField(default=False)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.DRAFT)
    submission_due_at = models.DateTimeField()
    review_due_at = models.DateTimeField()
    revision_due_at = models.DateTimeField()
    rereview_due_at = models.DateTimeField()
    phase_started_at = models.DateTimeField(null=True, blank=True)
    lease_hours = models.PositiveSmallIntegerField(default=8)
    allocation_seed = models.PositiveIntegerField(default=0)
    submission_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["phase", "community"], name="round_phase_community")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewers_per_submission__gte=2, reviewers_per_submission__lte=3),
                name="round_two_or_three_reviewers",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def due_at(self):
        return {
            Phase.SUBMISSION: self.submission_due_at,
            Phase.REVIEW: self.review_due_at,
            Phase.REVISION: self.revision_due_at,
            Phase.REREVIEW: self.rereview_due_at,
        }.get(self.phase)

    @property
    def next_phase(self) -> str | None:
        index = PHASE_ORDER.index(self.phase)
        return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None

    def phase_is_at_least(self, phase: str) -> bool:
        return PHASE_ORDER.index(self.phase) >= PHASE_ORDER.index(phase)

    @property
    def hides_authors(self) -> bool:
        return self.anonymity == Anonymity.DOUBLE

    @property
    def hides_reviewers(self) -> bool:
        return self.anonymity != Anonymity.OPEN


class OutsideReviewer(models.Model):
    """Someone the owner added who reviews without submitting."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="outside_reviewers")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="one_outside_reviewer"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} reviews in {self.round_id}"


class Submission(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="submissions")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="review_submissions")
    number = models.PositiveIntegerField(help_text="Shown instead of the author when hidden")
    version_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "author"], name="one_submission_per_author"),
            models.UniqueConstraint(fields=["round", "number"], name="submission_number"),
        ]

    def __str__(self) -> str:
        return f"Submission {self.number}"


class VersionKind(models.TextChoices):
    ORIGINAL = "original", "Original"
    REVISION = "revision", "Revision"


class SubmissionVersion(models.Model):
    """Each text an author handed in; replacing before the deadline updates the original,
    a revision is a new version. Earlier versions stay readable."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=VersionKind.choices)
    body = models.TextField(max_length=50000)
    body_html = models.TextField(editable=False, default="")
    reflection = models.TextField(max_length=10000, blank=True)
    reflection_html = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.submission} v{self.number}"


def _attachment_path(instance, filename: str) -> str:
    # Random names on disk: nothing about the author reaches the file system or a URL.
    import secrets

    return f"feedback/{secrets.token_hex(16)}"


class Attachment(models.Model):
    version = models.ForeignKey(
        SubmissionVersion, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    content_type = models.CharField(max_length=40)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.download_name

    @property
    def download_name(self) -> str:
        return f"attachment-{self.pk}.{self.extension}"


class Stage(models.TextChoices):
    FIRST = "first", "Review"
    REREVIEW = "rereview", "Re-review"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Waiting for a reviewer"
    ASSIGNED = "assigned", "Not started"
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    LAPSED = "lapsed", "Lapsed (reallocated)"


class Review(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reviews")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(SubmissionVersion, on_delete=models.CASCADE, related_name="+")
    reviewer = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.CASCADE, related_name="peer_reviews"
    )
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.FIRST)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.ASSIGNED
    )
    due_at = models.DateTimeField()
    strengths = models.TextField(max_length=4000, blank=True)
    improvements = models.TextField(max_length=4000, blank=True)
    total_points = models.PositiveIntegerField(null=True, blank=True)
    is_outlier = models.BooleanField(default=False)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["reviewer", "status"], name="review_reviewer_status"),
            models.Index(fields=["round", "status", "due_at"], name="review_round_status_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer", "stage"],
                condition=~Q(status="lapsed"),
                name="one_live_review_per_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(reviewer__isnull=False),
                name="review_has_reviewer_unless_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} of {self.submission}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="+")
    points = models.PositiveSmallIntegerField()
    comment = models.TextField(max_length=4000, blank=True)

    class Meta:
        ordering = ["criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.points} for criterion {self.criterion_id}"


class Helpfulness(models.Model):
    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="helpfulness")
    rating = models.PositiveSmallIntegerField()
    note = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="helpfulness_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5"


class ScoreOverride(models.Model):
    """The owner's score for one criterion of one submission, with the reason. Rows are a
    log: the newest wins."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="overrides")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.FIRST)
    points = models.PositiveSmallIntegerField()
    reason = models.TextField(max_length=2000)
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.points} by override"


class CalibrationExample(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="calibration_examples")
    body = models.TextField(max_length=20000)
    body_html = models.TextField(editable=False, default="")
    reference = models.JSONField(help_text="criterion id -> level id of the owner's scores")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Calibration example {self.pk}"


class CalibrationAttempt(models.Model):
    """A reviewer's finished calibration: they agreed with the reference, or explained."""

    example = models.ForeignKey(CalibrationExample, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    reviewer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    levels = models.JSONField()
    differences = models.PositiveSmallIntegerField(default=0)
    explanation = models.TextField(max_length=4000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "reviewer"], name="one_calibration"),
        ]

    def __str__(self) -> str:
        return f"Calibration by {self.reviewer_id}"


class NoticeKind(models.TextChoices):
    PHASE_OPENED = "phase", "Phase opened"
    REVIEW_PENDING = "pending", "Review pending"
    RESULTS_READY = "results", "Results ready"
    REVISION_DUE = "revision", "Revision due"


class Notice(models.Model):
    """One email to one person; the unique key makes it go out once whatever runs twice."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)
    key = models.CharField(max_length=60)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user", "kind", "key"], name="notice_once"),
        ]

    def __str__(self) -> str:
        return self.subject
