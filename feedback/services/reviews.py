"""Allocating, writing, claiming and reallocating reviews; calibration; helpfulness;
the owner's overrides."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from feedback import aggregation, permissions, selectors
from feedback.allocation import AllocationError, allocate
from feedback.errors import BadRequest, StateError
from feedback.models import (
    CalibrationAttempt,
    Criterion,
    Helpfulness,
    NoticeKind,
    Phase,
    Review,
    ReviewStatus,
    Round,
    Score,
    ScoreOverride,
    Stage,
    Submission,
)
from feedback.services.notices import due_for, my_reviews_link, queue_notice

LIVE = [ReviewStatus.ASSIGNED, ReviewStatus.DRAFT, ReviewStatus.SUBMITTED]


def allocate_round(round_: Round) -> int:
    """Create the first-stage reviews (inside the caller's transaction); a clear error and
    nothing written when the round has too few submissions or no fair allocation exists."""
    submissions = list(round_.submissions.prefetch_related("versions"))
    needed = round_.reviewers_per_submission + 1
    if len(submissions) < needed:
        raise StateError(
            f"The round has {len(submissions)} submissions; with "
            f"{round_.reviewers_per_submission} reviewers each it needs at least {needed}. "
            "Extend the submission deadline or lower the reviewers per submission."
        )
    authors = {s.pk: s.author_id for s in submissions}
    reviewers = sorted({s.author_id for s in submissions} | selectors.outside_reviewer_ids(round_))
    conflicts = selectors.circle_conflicts(round_, reviewers) if round_.exclude_circle_peers else ()
    try:
        plan = allocate(
            authors,
            reviewers,
            round_.reviewers_per_submission,
            conflicts=conflicts,
            seed=round_.allocation_seed,
        )
    except AllocationError as error:
        raise StateError(str(error)) from error
    now = timezone.now()
    latest = {s.pk: max(s.versions.all(), key=lambda v: v.number) for s in submissions}
    rows = [
        Review(
            round=round_,
            submission_id=sid,
            version=latest[sid],
            reviewer_id=reviewer_id,
            stage=Stage.FIRST,
            status=ReviewStatus.ASSIGNED,
            due_at=round_.review_due_at,
            assigned_at=now,
        )
        for sid, reviewer_ids in plan.items()
        for reviewer_id in reviewer_ids
    ]
    Review.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def open_rereviews(round_: Round) -> int:
    """The same reviewers score the revised version of each revised submission."""
    now = timezone.now()
    rows = []
    firsts = Review.objects.filter(
        round=round_, stage=Stage.FIRST, status=ReviewStatus.SUBMITTED
    ).select_related("submission")
    for first in firsts:
        if first.submission.version_count < 2:
            continue
        latest = first.submission.versions.order_by("-number").first()
        rows.append(
            Review(
                round=round_,
                submission_id=first.submission_id,
                version=latest,
                reviewer_id=first.reviewer_id,
                stage=Stage.REREVIEW,
                status=ReviewStatus.ASSIGNED,
                due_at=round_.rereview_due_at,
                assigned_at=now,
            )
        )
    Review.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _phase_for(stage: str) -> str:
    return Phase.REVIEW if stage == Stage.FIRST else Phase.REREVIEW


def save_review(
    *,
    actor,
    review: Review,
    levels: dict,
    comments: dict | None = None,
    strengths: str = "",
    improvements: str = "",
    final: bool = False,
) -> Review:
    """Save a draft (anything goes) or submit (every criterion, a strength and an
    improvement). Submitting twice counts once: the second finds it already submitted."""
    if not actor.is_authenticated or review.reviewer_id != actor.pk:
        raise Http404  # someone else's review stays unknown
    comments = comments or {}
    criteria = list(
        Criterion.objects.filter(rubric_id=review.round.rubric_id).prefetch_related("levels")
    )
    chosen = {}
    for criterion in criteria:
        raw = levels.get(criterion.pk, levels.get(str(criterion.pk)))
        if raw in (None, ""):
            continue
        level = next((lv for lv in criterion.levels.all() if str(lv.pk) == str(raw)), None)
        if level is None:
            raise BadRequest(f"That level is not one of '{criterion.title}' in this rubric.")
        chosen[criterion.pk] = level
    extra = {str(k) for k in levels if levels[k] not in (None, "")} - {str(c.pk) for c in criteria}
    if extra:
        raise BadRequest("A score names a criterion that is not in this round's rubric.")
    if final:
        missing = [c.title for c in criteria if c.pk not in chosen]
        if missing:
            raise BadRequest("Choose a level for every criterion: " + ", ".join(missing) + ".")
        if len(strengths.strip()) < 3:
            raise BadRequest("Name at least one strength (a few words).")
        if len(improvements.strip()) < 3:
            raise BadRequest("Name at least one improvement (a few words).")
    now = timezone.now()
    with transaction.atomic(durable=True):
        review = Review.objects.select_for_update().select_related("round").get(pk=review.pk)
        if review.status == ReviewStatus.SUBMITTED:
            raise StateError("This review is already submitted; it counts once.")
        if review.status not in (ReviewStatus.ASSIGNED, ReviewStatus.DRAFT):
            raise StateError("This review is no longer yours to write.")
        if review.round.phase != _phase_for(review.stage):
            raise StateError("The review phase of this round is over.")
        review.scores.all().delete()
        Score.objects.bulk_create(
            Score(
                review=review,
                criterion_id=criterion_id,
                level=level,
                points=level.points,
                comment=str(comments.get(criterion_id, comments.get(str(criterion_id), "")))[:4000],
            )
            for criterion_id, level in chosen.items()
        )
        review.strengths = strengths.strip()
        review.improvements = improvements.strip()
        review.started_at = review.started_at or now
        review.status = ReviewStatus.SUBMITTED if final else ReviewStatus.DRAFT
        fields = ["strengths", "improvements", "started_at", "status"]
        if final:
            review.submitted_at = now
            review.total_points = sum(level.points for level in chosen.values())
            fields += ["submitted_at", "total_points"]
        review.save(update_fields=fields)
        if final:
            _flag_outliers(review.submission_id, review.stage, review.round.rubric.max_points)
    return review


def _flag_outliers(submission_id: int, stage: str, max_points: int) -> None:
    done = list(
        Review.objects.filter(
            submission_id=submission_id, stage=stage, status=ReviewStatus.SUBMITTED
        ).values_list("pk", "total_points")
    )
    totals = [total for _, total in done]
    for pk, total in done:
        flag = aggregation.is_outlier(total, totals, max_points)
        Review.objects.filter(pk=pk).exclude(is_outlier=flag).update(is_outlier=flag)


def claim_review(*, actor, review: Review) -> bool:
    """Take an open (reallocated) review. Two people at once: a conditional update lets
    exactly one have it; the other is told it's gone."""
    permissions.require(actor, "claim_review", review, hide=True)
    now = timezone.now()
    with transaction.atomic(durable=True):
        taken = _take(review, actor.pk, now)
    if not taken:
        raise StateError("Someone else took this review a moment ago.")
    return True


def _take(review: Review, user_id: int, now) -> bool:
    if (
        Review.objects.filter(
            submission_id=review.submission_id, stage=review.stage, reviewer_id=user_id
        )
        .exclude(status=ReviewStatus.LAPSED)
        .exists()
    ):
        return False
    try:
        with transaction.atomic():
            return bool(
                Review.objects.filter(pk=review.pk, status=ReviewStatus.OPEN).update(
                    reviewer_id=user_id,
                    status=ReviewStatus.ASSIGNED,
                    assigned_at=now,
                    due_at=now + timedelta(hours=review.round.lease_hours),
                )
            )
    except IntegrityError:
        return False


def reallocate_overdue(*, round_id: int, now=None) -> int:
    """Reviews past their deadline lose their reviewer (a started one keeps its claim for
    the round's lease, 8 h by default); each becomes open and goes to the eligible
    reviewer with the least load. Safe to run twice."""
    now = now or timezone.now()
    round_ = Round.objects.get(pk=round_id)
    if round_.phase not in (Phase.REVIEW, Phase.REREVIEW):
        return 0
    lease = timedelta(hours=round_.lease_hours)
    overdue = Review.objects.filter(round=round_, due_at__lt=now).filter(
        Q(status=ReviewStatus.ASSIGNED) | Q(status=ReviewStatus.DRAFT, due_at__lt=now - lease)
    )
    moved = 0
    for review_id in overdue.values_list("pk", flat=True):
        with transaction.atomic(durable=True):
            old = Review.objects.select_for_update().filter(pk=review_id).first()
            if old is None or old.status not in (ReviewStatus.ASSIGNED, ReviewStatus.DRAFT):
                continue
            old.status = ReviewStatus.LAPSED
            old.save(update_fields=["status"])
            fresh = Review.objects.create(
                round=round_,
                submission_id=old.submission_id,
                version_id=old.version_id,
                reviewer=None,
                stage=old.stage,
                status=ReviewStatus.OPEN,
                due_at=now + lease,
            )
            fresh.round = round_
            for user_id in selectors.least_loaded_eligible(round_, old.submission, fresh.stage):
                if user_id == old.reviewer_id:
                    continue
                if _take(fresh, user_id, now):
                    _tell_new_reviewer(round_, fresh, user_id)
                    break
            moved += 1
    return moved


def _tell_new_reviewer(round_: Round, review: Review, user_id: int) -> None:
    queue_notice(
        round_=round_,
        user_id=user_id,
        kind=NoticeKind.REVIEW_PENDING,
        key=f"realloc-{review.pk}",
        subject=f"A review in {round_.title} was passed to you",
        body=f"A reviewer missed the deadline; the review is yours now:\n{my_reviews_link()}",
    )


def send_pending_reminders(*, round_id: int, now=None) -> int:
    """Reviewers who have not started by half the review phase get a reminder, then every
    48 h, at most 3 times. Each reminder is a unique notice: sent once."""
    now = now or timezone.now()
    round_ = Round.objects.get(pk=round_id)
    if round_.phase not in (Phase.REVIEW, Phase.REREVIEW):
        return 0
    sent = 0
    pending = Review.objects.select_related("reviewer").filter(
        round=round_,
        status=ReviewStatus.ASSIGNED,
        reminders_sent__lt=3,
        stage=Stage.FIRST if round_.phase == Phase.REVIEW else Stage.REREVIEW,
    )
    for review in pending:
        halfway = review.assigned_at + (review.due_at - review.assigned_at) / 2
        if now < halfway:
            continue
        if review.last_reminded_at and now - review.last_reminded_at < timedelta(hours=48):
            continue
        with transaction.atomic(durable=True):
            claimed = Review.objects.filter(
                pk=review.pk, reminders_sent=review.reminders_sent, status=ReviewStatus.ASSIGNED
            ).update(reminders_sent=review.reminders_sent + 1, last_reminded_at=now)
            if claimed and queue_notice(
                round_=round_,
                user_id=review.reviewer_id,
                kind=NoticeKind.REVIEW_PENDING,
                key=f"{review.pk}-{review.reminders_sent + 1}",
                subject=f"A review is waiting for you in {round_.title}",
                body=(
                    "You have a review to write, due "
                    f"{due_for(review.reviewer, review.due_at)}:\n{my_reviews_link()}"
                ),
            ):
                sent += 1
    return sent


def send_revision_reminders(*, round_id: int, now=None) -> int:
    """Authors who have not revised get one reminder in the last day of the revision phase."""
    now = now or timezone.now()
    round_ = Round.objects.get(pk=round_id)
    if round_.phase != Phase.REVISION or now < round_.revision_due_at - timedelta(days=1):
        return 0
    sent = 0
    for submission in round_.submissions.select_related("author").filter(version_count__lt=2):
        with transaction.atomic(durable=True):
            sent += queue_notice(
                round_=round_,
                user_id=submission.author_id,
                kind=NoticeKind.REVISION_DUE,
                key="last-day",
                subject=f"Your revision in {round_.title} is due soon",
                body=(
                    "Revise your work and write a short reflection before "
                    f"{due_for(submission.author, round_.revision_due_at)}:\n"
                    f"{my_reviews_link()}"
                ),
            )
    return sent


# Calibration ------------------------------------------------------------------------------


def calibrate(*, actor, round_: Round, levels: dict, explanation: str = "") -> dict:
    """Score the round's calibration example. Returns per criterion id the reference level
    where the reviewer differs; done when they agree, or explain why they differ."""
    example = round_.calibration_examples.first()
    if example is None:
        raise StateError("This round has no calibration example.")
    if not selectors.reviews_of(actor, round_).exists():
        permissions.require(actor, "manage_round", round_, hide=True)
    from feedback.services.rounds import _complete_levels

    chosen = _complete_levels(round_.rubric, levels)
    differences = {
        int(cid): ref for cid, ref in example.reference.items() if chosen.get(cid) != ref
    }
    if differences and len(explanation.strip()) < 10:
        return differences
    with transaction.atomic(durable=True):
        CalibrationAttempt.objects.get_or_create(
            round=round_,
            reviewer=actor,
            defaults={
                "example": example,
                "levels": chosen,
                "differences": len(differences),
                "explanation": explanation.strip(),
            },
        )
    return differences


def needs_calibration(user, round_: Round) -> bool:
    return (
        round_.calibration_examples.exists()
        and not CalibrationAttempt.objects.filter(round=round_, reviewer_id=user.pk).exists()
    )


# After the reviews ------------------------------------------------------------------------


def rate_helpfulness(*, actor, review: Review, rating: int, note: str = "") -> Helpfulness:
    """The author rates a review 1-5; rating again changes the rating."""
    review = Review.objects.select_related("round", "submission__round").get(pk=review.pk)
    permissions.require(actor, "rate_review", review, hide=True)
    if rating not in range(1, 6):
        raise BadRequest("Rate helpfulness from 1 (not helpful) to 5 (very helpful).")
    with transaction.atomic(durable=True):
        row, _ = Helpfulness.objects.update_or_create(
            review=review, defaults={"rating": rating, "note": note.strip()[:2000]}
        )
    return row


def override_score(
    *, actor, submission: Submission, criterion_id: int, points: int, reason: str, stage=Stage.FIRST
) -> ScoreOverride:
    """The owner's score for a criterion wins over the median; the reason is logged."""
    permissions.require(actor, "manage_round", submission.round, hide=True)
    criterion = Criterion.objects.filter(
        pk=criterion_id, rubric_id=submission.round.rubric_id
    ).first()
    if criterion is None:
        raise BadRequest("That criterion is not in this round's rubric.")
    allowed = set(criterion.levels.values_list("points", flat=True))
    if points not in allowed:
        raise BadRequest(
            f"'{criterion.title}' scores one of {', '.join(map(str, sorted(allowed)))} points."
        )
    if len(reason.strip()) < 5:
        raise BadRequest("Say why you override the reviewers' median.")
    with transaction.atomic(durable=True):
        return ScoreOverride.objects.create(
            submission=submission,
            criterion=criterion,
            stage=stage,
            points=points,
            reason=reason.strip(),
            actor=actor,
        )


def review_loads(round_: Round) -> dict[int, int]:
    return dict(
        Review.objects.filter(round=round_, status__in=LIVE, reviewer__isnull=False)
        .values("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )
