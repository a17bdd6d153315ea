"""Reads of peer review that pages, jobs and emails share. Each returns what its page
needs in a fixed number of queries."""

from collections import defaultdict
from itertools import combinations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from communities.models import CircleMembership
from communities.public import active_membership_q
from feedback import aggregation
from feedback.models import (
    CalibrationAttempt,
    Criterion,
    OutsideReviewer,
    Phase,
    Review,
    ReviewStatus,
    Round,
    Score,
    ScoreOverride,
    Stage,
    Submission,
    SubmissionVersion,
)

LIVE = [ReviewStatus.ASSIGNED, ReviewStatus.DRAFT, ReviewStatus.SUBMITTED]
PAGE = 200
OVERVIEW_PAGE = 500


# Who may review whom --------------------------------------------------------------------


def outside_reviewer_ids(round_: Round) -> set[int]:
    return set(OutsideReviewer.objects.filter(round=round_).values_list("user_id", flat=True))


def circle_conflicts(round_: Round, people) -> set[tuple[int, int]]:
    """(reviewer, author) pairs who sit in a circle of the community together (other than
    the round's own circle, which everyone in a circle round shares)."""
    seats = CircleMembership.objects.filter(
        circle__community_id=round_.community_id, status="active", user_id__in=list(people)
    )
    if round_.circle_id:
        seats = seats.exclude(circle_id=round_.circle_id)
    by_circle = defaultdict(list)
    for circle_id, user_id in seats.values_list("circle_id", "user_id"):
        by_circle[circle_id].append(user_id)
    pairs = set()
    for members in by_circle.values():
        for a, b in combinations(members, 2):
            pairs.update({(a, b), (b, a)})
    return pairs


def eligible_reviewer_ids(round_: Round, submission: Submission, stage=Stage.FIRST) -> set[int]:
    """Submitters and outside reviewers who are not the author, not in conflict with them,
    and not already reviewing this submission."""
    people = set(round_.submissions.values_list("author_id", flat=True))
    people |= outside_reviewer_ids(round_)
    people.discard(submission.author_id)
    taken = set(
        Review.objects.filter(submission=submission, stage=stage, reviewer__isnull=False)
        .exclude(status=ReviewStatus.LAPSED)
        .values_list("reviewer_id", flat=True)
    )
    people -= taken
    if round_.exclude_circle_peers:
        conflicts = circle_conflicts(round_, people | {submission.author_id})
        people = {p for p in people if (p, submission.author_id) not in conflicts}
    return people


def least_loaded_eligible(round_: Round, submission: Submission, stage=Stage.FIRST) -> list[int]:
    """Eligible reviewers, the least loaded first (ties by id, so runs agree)."""
    people = eligible_reviewer_ids(round_, submission, stage)
    loads = dict(
        Review.objects.filter(round=round_, status__in=LIVE, reviewer_id__in=people)
        .values("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )
    return sorted(people, key=lambda p: (loads.get(p, 0), p))


def reviews_of(user, round_: Round) -> QuerySet[Review]:
    return Review.objects.filter(round=round_, reviewer_id=user.pk).exclude(
        status=ReviewStatus.LAPSED
    )


# Rounds -----------------------------------------------------------------------------------


def round_for_viewer(viewer, pk: int) -> Round:
    """The round if `viewer` may see it; 404 otherwise (a private round stays unknown)."""
    from feedback import permissions

    round_ = get_object_or_404(
        Round.objects.select_related("community", "circle", "rubric", "created_by"), pk=pk
    )
    permissions.require(viewer, "view_round", round_, hide=True)
    return round_


def rounds_in_community(viewer, community, *, open_only: bool = False) -> QuerySet[Round]:
    """Rounds of `community` the viewer may see: not drafts (except for those who run
    them), circle rounds only for the circle's members and the community's moderators."""
    from feedback import permissions

    rounds = Round.objects.filter(community=community).select_related("circle")
    if open_only:
        rounds = rounds.exclude(phase__in=[Phase.DRAFT, Phase.CLOSED])
    if not viewer.is_authenticated:
        return rounds.none()
    if viewer.is_staff or permissions.can_moderate_community(viewer, community):
        return rounds
    if not permissions.is_active_member(viewer, community):
        return rounds.none()
    in_circle = Q(circle__memberships__user_id=viewer.pk, circle__memberships__status="active")
    return rounds.filter(
        (~Q(phase=Phase.DRAFT) & (Q(circle__isnull=True) | in_circle)) | Q(created_by_id=viewer.pk)
    ).distinct()


def criteria_of(round_: Round) -> list[Criterion]:
    return list(Criterion.objects.filter(rubric_id=round_.rubric_id).prefetch_related("levels"))


def my_submission(user, round_: Round) -> Submission | None:
    if not user.is_authenticated:
        return None
    return (
        Submission.objects.filter(round=round_, author_id=user.pk)
        .prefetch_related("versions__attachments")
        .first()
    )


def round_overview(round_: Round, *, offset: int = 0) -> list[Submission]:
    """The owner's page of submissions with their authors, versions and every review with
    its reviewer and helpfulness: a page of ids through the index, then five queries."""
    ids = list(
        Submission.objects.filter(round=round_)
        .order_by("number")
        .values_list("pk", flat=True)[offset : offset + OVERVIEW_PAGE]
    )
    submissions = list(
        Submission.objects.filter(pk__in=ids)
        .order_by("number")
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("reviewer", "helpfulness").order_by(
                    "stage", "pk"
                ),
            )
        )
    )
    # Plain values for the template: 1,500 rows render fast without lookups that raise.
    stages, statuses = dict(Stage.choices), dict(ReviewStatus.choices)
    for submission in submissions:
        for review in submission.reviews.all():
            helpfulness = getattr(review, "helpfulness", None)
            review.rating = helpfulness.rating if helpfulness else None
            review.stage_label = stages.get(review.stage, review.stage)
            review.status_label = statuses.get(review.status, review.status)
            review.reviewer_name = review.reviewer.public_name if review.reviewer_id else ""
    return submissions


# A reviewer's queue ---------------------------------------------------------------------


def review_queue(user) -> QuerySet[Review]:
    """Reviews a person has to write (or wrote) in rounds still running, newest first."""
    return (
        Review.objects.filter(reviewer_id=user.pk)
        .exclude(status=ReviewStatus.LAPSED)
        .exclude(round__phase=Phase.CLOSED)
        .select_related("round", "submission", "submission__author", "round__community")
        .order_by("status", "due_at", "pk")[:PAGE]
    )


def open_reviews_for(user) -> list[Review]:
    """Reallocated reviews the person could take (they review in that round and are
    eligible). Bounded: only rounds where they have a live review."""
    rounds = set(
        Review.objects.filter(reviewer_id=user.pk, status__in=LIVE)
        .exclude(round__phase=Phase.CLOSED)
        .values_list("round_id", flat=True)
    )
    candidates = Review.objects.filter(
        round_id__in=rounds, status=ReviewStatus.OPEN
    ).select_related("round", "submission", "submission__author")[:50]
    mine = set(
        Review.objects.filter(reviewer_id=user.pk, round_id__in=rounds)
        .exclude(status=ReviewStatus.LAPSED)
        .values_list("submission_id", "stage")
    )
    return [
        review
        for review in candidates
        if review.submission.author_id != user.pk
        and (review.submission_id, review.stage) not in mine
    ]


def pending_work(user) -> dict:
    """What the person should do next across rounds: submissions and revisions due."""
    member_rounds = Round.objects.filter(active_membership_q(user, "community_id")).exclude(
        phase__in=[Phase.DRAFT, Phase.CLOSED]
    )
    to_submit = member_rounds.filter(phase=Phase.SUBMISSION).exclude(submissions__author_id=user.pk)
    to_submit = to_submit.filter(
        Q(circle__isnull=True)
        | Q(circle__memberships__user_id=user.pk, circle__memberships__status="active")
    ).select_related("community", "circle")[:PAGE]
    to_revise = Submission.objects.filter(
        author_id=user.pk, round__phase=Phase.REVISION, version_count__lt=2
    ).select_related("round", "round__community")[:PAGE]
    mine = (
        Submission.objects.filter(author_id=user.pk)
        .exclude(round__phase=Phase.DRAFT)
        .select_related("round", "round__community")
        .order_by("-round__created_at")[:PAGE]
    )
    return {"to_submit": list(to_submit), "to_revise": list(to_revise), "mine": list(mine)}


# Results ----------------------------------------------------------------------------------


def _score_maps(reviews) -> list[dict[int, int]]:
    return [{s.criterion_id: s.points for s in review.scores.all()} for review in reviews]


def submission_results(submission: Submission) -> dict:
    """Per criterion, the median of each stage (first review, re-review), the owner's
    overrides, the totals, and whether fewer reviews came in than wanted. Fixed queries."""
    round_ = submission.round
    criteria = criteria_of(round_)
    reviews = list(
        Review.objects.filter(submission=submission, status=ReviewStatus.SUBMITTED)
        .select_related("reviewer", "helpfulness")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("level", "criterion"))
        )
        .order_by("stage", "submitted_at", "pk")
    )
    overrides = {}
    for row in ScoreOverride.objects.filter(submission=submission).order_by("created_at", "pk"):
        overrides.setdefault(row.stage, {})[row.criterion_id] = row
    stages = {}
    ids = [c.pk for c in criteria]
    for stage in (Stage.FIRST, Stage.REREVIEW):
        of_stage = [r for r in reviews if r.stage == stage]
        if not of_stage and stage == Stage.REREVIEW:
            continue
        stage_overrides = {cid: o.points for cid, o in overrides.get(stage, {}).items()}
        stages[stage] = {
            "reviews": of_stage,
            "result": aggregation.aggregate(_score_maps(of_stage), ids, stage_overrides),
            "overrides": overrides.get(stage, {}),
        }
    rows = []
    for criterion in criteria:
        first = stages.get(Stage.FIRST)
        again = stages.get(Stage.REREVIEW)
        before = first["result"].per_criterion[criterion.pk] if first else None
        after = again["result"].per_criterion[criterion.pk] if again else None
        rows.append(
            {
                "criterion": criterion,
                "max": max(level.points for level in criterion.levels.all()),
                "before": before,
                "after": after,
                "change": (after - before) if after is not None and before is not None else None,
                "override": (first or {}).get("overrides", {}).get(criterion.pk),
            }
        )
    first = stages.get(Stage.FIRST)
    count = len(first["reviews"]) if first else 0
    return {
        "criteria": criteria,
        "rows": rows,
        "stages": stages,
        "first_total": first["result"].total if first else None,
        "rereview_total": stages[Stage.REREVIEW]["result"].total
        if Stage.REREVIEW in stages
        else None,
        "review_count": count,
        "wanted": round_.reviewers_per_submission,
        "is_partial": count < round_.reviewers_per_submission,
    }


def round_distribution(round_: Round) -> list[int]:
    """Every submission's first-stage total (medians per criterion, summed), sorted.
    Three queries whatever the size of the round."""
    criteria = [c.pk for c in Criterion.objects.filter(rubric_id=round_.rubric_id)]
    per_submission: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    scores = Score.objects.filter(
        review__round=round_, review__stage=Stage.FIRST, review__status=ReviewStatus.SUBMITTED
    ).values_list("review__submission_id", "criterion_id", "points")
    for sid, cid, points in scores:
        per_submission[sid][cid].append(points)
    overrides = defaultdict(dict)
    for sid, cid, points in (
        ScoreOverride.objects.filter(submission__round=round_, stage=Stage.FIRST)
        .order_by("created_at", "pk")
        .values_list("submission_id", "criterion_id", "points")
    ):
        overrides[sid][cid] = points
    totals = []
    for sid, by_criterion in per_submission.items():
        total = 0
        for cid in criteria:
            if cid in overrides[sid]:
                total += overrides[sid][cid]
            elif by_criterion.get(cid):
                total += aggregation.median_points(by_criterion[cid])
        totals.append(total)
    return sorted(totals)


def reviewer_quality(round_: Round) -> list[dict]:
    """Per reviewer: how far their scores sit from the consensus of the other reviews of
    the same submissions, their outliers, and the helpfulness ratings they received."""
    reviews = list(
        Review.objects.filter(round=round_, status=ReviewStatus.SUBMITTED)
        .select_related("reviewer", "helpfulness", "submission")
        .prefetch_related("scores")
        .order_by("pk")
    )
    by_submission = defaultdict(list)
    for review in reviews:
        by_submission[(review.submission_id, review.stage)].append(review)
    people: dict[int, dict] = {}
    for review in reviews:
        entry = people.setdefault(
            review.reviewer_id,
            {"reviewer": review.reviewer, "distances": [], "outliers": [], "ratings": [], "n": 0},
        )
        entry["n"] += 1
        mine = {s.criterion_id: s.points for s in review.scores.all()}
        others = [
            {s.criterion_id: s.points for s in other.scores.all()}
            for other in by_submission[(review.submission_id, review.stage)]
            if other.pk != review.pk
        ]
        distance = aggregation.consensus_distance(mine, others)
        if distance is not None:
            entry["distances"].append(distance)
        if review.is_outlier:
            entry["outliers"].append(review)
        helpfulness = getattr(review, "helpfulness", None)
        if helpfulness is not None:
            entry["ratings"].append(helpfulness.rating)
    rows = []
    for entry in people.values():
        distances, ratings = entry["distances"], entry["ratings"]
        rows.append(
            {
                **entry,
                "distance": round(sum(distances) / len(distances), 2) if distances else None,
                "helpfulness": round(sum(ratings) / len(ratings), 1) if ratings else None,
            }
        )
    return sorted(rows, key=lambda row: -(row["distance"] or 0))


def calibration_done(user, round_: Round) -> bool:
    return CalibrationAttempt.objects.filter(round=round_, reviewer_id=user.pk).exists()


def versions_of(submission: Submission) -> list[SubmissionVersion]:
    return list(submission.versions.prefetch_related("attachments").order_by("number"))
