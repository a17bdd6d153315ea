"""Creating rounds and moving them through their phases, by hand or by the clock."""

import itertools
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from communities.models import CircleMembership
from communities.public import render_markdown
from feedback import permissions
from feedback.errors import BadRequest, StateError
from feedback.models import (
    Anonymity,
    CalibrationExample,
    NoticeKind,
    OutsideReviewer,
    Participation,
    Phase,
    Review,
    ReviewStatus,
    Round,
    Rubric,
    Stage,
    Submission,
)
from feedback.services.notices import due_for, my_reviews_link, queue_notice, round_link

EDITABLE_AFTER_OPENING = {
    "title",
    "instructions",
    "submission_due_at",
    "review_due_at",
    "revision_due_at",
    "rereview_due_at",
    "lease_hours",
}


def _check_round_fields(values: dict, community, circle) -> None:
    if not values.get("title", "").strip():
        raise BadRequest("Give the round a title.")
    if values["reviewers_per_submission"] not in (2, 3):
        raise BadRequest("Each submission gets 2 or 3 reviewers.")
    if values["anonymity"] not in Anonymity.values:
        raise BadRequest("Choose how names are shown.")
    rubric: Rubric = values["rubric"]
    if rubric.community_id != community.pk:
        raise BadRequest("Choose a rubric of this community.")
    due = [values[f"{name}_due_at"] for name in ("submission", "review", "revision", "rereview")]
    if any(earlier >= later for earlier, later in itertools.pairwise(due)):
        raise BadRequest(
            "Deadlines run in order: submission, then review, then revision, then re-review."
        )
    if values["participation"] == Participation.CIRCLE:
        if circle is None:
            raise BadRequest("Only a round in a circle can include every member of the circle.")
        seated = CircleMembership.objects.filter(circle=circle, status="active").count()
        needed = values["reviewers_per_submission"] + 1
        if seated < needed:
            raise BadRequest(
                f"{circle.name} has {seated} members; a round with "
                f"{values['reviewers_per_submission']} reviewers per submission needs at "
                f"least {needed} participants."
            )


def create_round(*, actor, community, circle=None, **values) -> Round:
    """A round in draft: nothing is visible to members until the owner opens it."""
    permissions.require(actor, "run_reviews_in", (community, circle))
    if circle is not None and circle.community_id != community.pk:
        raise BadRequest("That circle belongs to another community.")
    values.setdefault("participation", Participation.SUBMITTERS)
    _check_round_fields(values, community, circle)
    with transaction.atomic(durable=True):
        return Round.objects.create(
            community=community,
            circle=circle,
            created_by=actor,
            instructions_html=render_markdown(values["instructions"]),
            allocation_seed=timezone.now().microsecond,
            **values,
        )


def update_round(*, actor, round_: Round, **values) -> Round:
    """Everything while in draft; once open, only the title, instructions and deadlines."""
    permissions.require(actor, "manage_round", round_)
    with transaction.atomic(durable=True):
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.phase != Phase.DRAFT:
            locked = {
                k for k, v in values.items() if k not in EDITABLE_AFTER_OPENING
                and getattr(round_, k) != v
            }  # fmt: skip
            if locked:
                raise StateError(
                    "The round is open: only its title, instructions and deadlines can change."
                )
        merged = {
            field: values.get(field, getattr(round_, field))
            for field in (
                "title", "instructions", "rubric", "reviewers_per_submission", "anonymity",
                "participation", "exclude_circle_peers", "submission_due_at", "review_due_at",
                "revision_due_at", "rereview_due_at", "lease_hours",
            )
        }  # fmt: skip
        _check_round_fields(merged, round_.community, round_.circle)
        for field, value in merged.items():
            setattr(round_, field, value)
        round_.instructions_html = render_markdown(round_.instructions)
        round_.save(update_fields=[*merged, "instructions_html"])
    return round_


def add_outside_reviewer(*, actor, round_: Round, user) -> OutsideReviewer:
    """Someone who reviews without submitting; they must be a member of the community."""
    from communities.public import is_active_member

    permissions.require(actor, "manage_round", round_)
    if not is_active_member(user, round_.community):
        raise BadRequest(f"{user.public_name} is not a member of {round_.community.name}.")
    if round_.phase_is_at_least(Phase.REVISION):
        raise StateError("Reviewers can be added until the review phase ends.")
    with transaction.atomic(durable=True):
        reviewer, _ = OutsideReviewer.objects.get_or_create(round=round_, user=user)
    return reviewer


def add_calibration_example(*, actor, round_: Round, body: str, reference: dict) -> object:
    """A sample submission with the owner's reference level for every criterion."""
    permissions.require(actor, "manage_round", round_)
    if round_.phase_is_at_least(Phase.REVIEW):
        raise StateError("Calibration examples are added before the review phase opens.")
    if not body.strip():
        raise BadRequest("Write the sample submission.")
    levels = _complete_levels(round_.rubric, reference)
    with transaction.atomic(durable=True):
        return CalibrationExample.objects.create(
            round=round_, body=body, body_html=render_markdown(body), reference=levels
        )


def _complete_levels(rubric: Rubric, chosen: dict) -> dict:
    """criterion id (str) -> level id for every criterion of `rubric`, or a clear error."""
    result = {}
    for criterion in rubric.criteria.prefetch_related("levels"):
        level_id = chosen.get(criterion.pk) or chosen.get(str(criterion.pk))
        valid = {level.pk for level in criterion.levels.all()}
        if level_id is None or int(level_id) not in valid:
            raise BadRequest(f"Choose a level for '{criterion.title}'.")
        result[str(criterion.pk)] = int(level_id)
    return result


# Phases ---------------------------------------------------------------------------------


def advance_phase(*, actor, round_: Round, expected: str | None = None) -> Round:
    """Move to the next phase, by hand (`actor`) or by the clock (`actor=None`). `expected`
    is the phase the caller saw: if someone else already moved the round, nothing happens."""
    if actor is not None:
        permissions.require(actor, "manage_round", round_)
    with transaction.atomic(durable=True):
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if expected is not None and round_.phase != expected:
            return round_
        target = round_.next_phase
        if target is None:
            raise StateError("The round is closed.")
        _enter(round_, target)
        round_.phase = target
        round_.phase_started_at = timezone.now()
        round_.save(update_fields=["phase", "phase_started_at"])
    return round_


def _enter(round_: Round, phase: str) -> None:
    if phase == Phase.SUBMISSION:
        Rubric.objects.filter(pk=round_.rubric_id).update(is_locked=True)
        _tell_participants(round_, "Submissions are open", "Submit your work before")
    elif phase == Phase.REVIEW:
        from feedback.services.reviews import allocate_round

        allocate_round(round_)
        _tell_reviewers(round_, Stage.FIRST, "Your reviews are ready")
    elif phase == Phase.REVISION:
        _expire_unfinished(round_, Stage.FIRST)
        for submission in round_.submissions.select_related("author"):
            queue_notice(
                round_=round_,
                user_id=submission.author_id,
                kind=NoticeKind.RESULTS_READY,
                key="first",
                subject=f"Your results in {round_.title} are ready",
                body=(
                    f"The reviews of your work in {round_.title} are in. Read the medians and "
                    f"comments, then revise with a reflection before "
                    f"{due_for(submission.author, round_.revision_due_at)}:\n"
                    f"{round_link(round_)}"
                ),
            )
    elif phase == Phase.REREVIEW:
        from feedback.services.reviews import open_rereviews

        open_rereviews(round_)
        _tell_reviewers(round_, Stage.REREVIEW, "Revised work is ready to re-review")
    elif phase == Phase.CLOSED:
        _expire_unfinished(round_, Stage.REREVIEW)
        revised = round_.submissions.filter(version_count__gt=1)
        for submission in revised:
            queue_notice(
                round_=round_,
                user_id=submission.author_id,
                kind=NoticeKind.RESULTS_READY,
                key="rereview",
                subject=f"Your re-review results in {round_.title} are ready",
                body=f"See how your scores changed after revision:\n{round_link(round_)}",
            )


def _expire_unfinished(round_: Round, stage: str) -> None:
    """When a review phase ends, unfinished reviews no longer count (flexible completion:
    results use the reviews that are in, and say so)."""
    Review.objects.filter(
        round=round_,
        stage=stage,
        status__in=[ReviewStatus.OPEN, ReviewStatus.ASSIGNED, ReviewStatus.DRAFT],
    ).update(status=ReviewStatus.LAPSED)


def _tell_participants(round_: Round, subject: str, lead: str) -> None:
    if round_.circle_id is None:
        return  # A community round is listed on the community's page; no mass email.
    members = CircleMembership.objects.filter(circle_id=round_.circle_id, status="active")
    for membership in members.select_related("user"):
        queue_notice(
            round_=round_,
            user_id=membership.user_id,
            kind=NoticeKind.PHASE_OPENED,
            key=Phase.SUBMISSION,
            subject=f"{subject}: {round_.title}",
            body=(
                f"{lead} {due_for(membership.user, round_.submission_due_at)}:\n"
                f"{round_link(round_)}"
            ),
        )


def _tell_reviewers(round_: Round, stage: str, subject: str) -> None:
    reviewer_ids = set(
        Review.objects.filter(round=round_, stage=stage, reviewer__isnull=False).values_list(
            "reviewer_id", flat=True
        )
    )
    for user_id in sorted(reviewer_ids):
        queue_notice(
            round_=round_,
            user_id=user_id,
            kind=NoticeKind.PHASE_OPENED,
            key=stage,
            subject=f"{subject}: {round_.title}",
            body=f"Your reviews are waiting on your review page:\n{my_reviews_link()}",
        )


def rounds_due_to_advance(now=None) -> list[tuple[int, str]]:
    """(round id, phase) of open rounds whose current phase's deadline has passed."""
    now = now or timezone.now()
    due = []
    fields = {
        Phase.SUBMISSION: "submission_due_at",
        Phase.REVIEW: "review_due_at",
        Phase.REVISION: "revision_due_at",
        Phase.REREVIEW: "rereview_due_at",
    }
    for phase, field in fields.items():
        rows = Round.objects.filter(phase=phase, **{f"{field}__lte": now}).values_list(
            "pk", field, "lease_hours"
        )
        for pk, due_at, lease_hours in rows:
            # A started review keeps its claim for the lease after the deadline (ORA2).
            if (
                phase in (Phase.REVIEW, Phase.REREVIEW)
                and now < due_at + timedelta(hours=lease_hours)
                and Review.objects.filter(round_id=pk, status=ReviewStatus.DRAFT).exists()
            ):
                continue
            due.append((pk, phase))
    return due


def submission_count_ok(round_: Round) -> bool:
    return Submission.objects.filter(round=round_).count() >= round_.reviewers_per_submission + 1


def lease(round_: Round) -> timedelta:
    return timedelta(hours=round_.lease_hours)
