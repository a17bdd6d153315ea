"""Who may do what in peer review. Views call `require`; templates use `can`.

Rounds are members-only: a round in a circle is for the circle's members (plus the
community's moderators and managers); what must stay hidden answers 404.
"""

from django.http import Http404

from communities.models import CircleMeeting, CircleMembership
from communities.public import (
    NotAllowed,
    can_manage_community,
    can_moderate_community,
    is_active_member,
)
from feedback.models import Phase, ReviewStatus

ACTIVE = "active"


def is_circle_member(user, circle) -> bool:
    return (
        user.is_authenticated
        and CircleMembership.objects.filter(circle=circle, user_id=user.pk, status=ACTIVE).exists()
    )


def is_circle_facilitator(user, circle) -> bool:
    """Who proposed the circle, or has facilitated one of its meetings."""
    if not user.is_authenticated or not is_circle_member(user, circle):
        return False
    return circle.created_by_id == user.pk or (
        CircleMeeting.objects.filter(circle=circle, facilitator_id=user.pk).exists()
    )


def can_run_reviews_in(user, community, circle=None) -> bool:
    """Managers build rubrics and rounds in a community; facilitators in their circle."""
    if not user.is_authenticated:
        return False
    if user.is_staff or can_manage_community(user, community):
        return True
    return circle is not None and is_circle_facilitator(user, circle)


def can_manage_rubric(user, rubric) -> bool:
    return can_run_reviews_in(user, rubric.community, rubric.circle)


def can_manage_round(user, round_) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or can_manage_community(user, round_.community):
        return True
    return round_.created_by_id == user.pk and is_active_member(user, round_.community)


def can_view_round(user, round_) -> bool:
    if not user.is_authenticated:
        return False
    if can_manage_round(user, round_) or can_moderate_community(user, round_.community):
        return True
    if not is_active_member(user, round_.community):
        return False
    if round_.phase == Phase.DRAFT:
        return False
    if round_.circle_id is None:
        return True
    return (
        is_circle_member(user, round_.circle)
        or round_.outside_reviewers.filter(user_id=user.pk).exists()
    )


def can_submit(user, round_) -> bool:
    """Who may hand in work (the deadline is the service's business: it says when)."""
    if not can_view_round(user, round_) or not is_active_member(user, round_.community):
        return False
    if round_.circle_id is not None:
        return is_circle_member(user, round_.circle)
    return True


def is_reviewer_of(user, submission) -> bool:
    return (
        user.is_authenticated
        and submission.reviews.filter(
            reviewer_id=user.pk, status__in=[ReviewStatus.ASSIGNED, ReviewStatus.DRAFT, "submitted"]
        ).exists()
    )


def results_are_open(submission) -> bool:
    round_ = submission.round
    if round_.phase_is_at_least(Phase.REVISION):
        return True
    if round_.phase != Phase.REVIEW:
        return False
    done = submission.reviews.filter(stage="first", status=ReviewStatus.SUBMITTED).count()
    return done >= round_.reviewers_per_submission


def can_read_submission(user, submission) -> bool:
    if not user.is_authenticated:
        return False
    if submission.author_id == user.pk or can_manage_round(user, submission.round):
        return True
    return is_reviewer_of(user, submission)


def can_see_results(user, submission) -> bool:
    if not user.is_authenticated:
        return False
    if can_manage_round(user, submission.round):
        return True
    return submission.author_id == user.pk and results_are_open(submission)


def can_write_review(user, review) -> bool:
    return (
        user.is_authenticated
        and review.reviewer_id == user.pk
        and review.status in (ReviewStatus.ASSIGNED, ReviewStatus.DRAFT)
    )


def can_read_review(user, review) -> bool:
    """The reviewer; the owner; the author once results are open and the review is in.
    Other reviewers never read it."""
    if not user.is_authenticated:
        return False
    if review.reviewer_id == user.pk and review.status != ReviewStatus.LAPSED:
        return True
    if can_manage_round(user, review.round):
        return True
    return (
        review.submission.author_id == user.pk
        and review.status == ReviewStatus.SUBMITTED
        and results_are_open(review.submission)
    )


def can_rate_review(user, review) -> bool:
    return (
        user.is_authenticated
        and review.submission.author_id == user.pk
        and review.status == ReviewStatus.SUBMITTED
        and results_are_open(review.submission)
    )


def can_claim_review(user, review) -> bool:
    """An open (reallocated) review goes to an eligible reviewer of the round."""
    from feedback.selectors import eligible_reviewer_ids

    if not user.is_authenticated or review.status != ReviewStatus.OPEN:
        return False
    return user.pk in eligible_reviewer_ids(review.round, review.submission)


RULES = {
    "run_reviews_in": lambda user, obj: can_run_reviews_in(user, *obj),
    "manage_rubric": can_manage_rubric,
    "manage_round": can_manage_round,
    "view_round": can_view_round,
    "submit": can_submit,
    "read_submission": can_read_submission,
    "see_results": can_see_results,
    "write_review": can_write_review,
    "read_review": can_read_review,
    "rate_review": can_rate_review,
    "claim_review": can_claim_review,
}


def can(user, action: str, obj=None) -> bool:
    return RULES[action](user, obj)


def require(user, action: str, obj=None, *, hide: bool = False) -> None:
    """Raise when the person may not act; `hide` answers 404 so nothing private shows."""
    if can(user, action, obj):
        return
    if hide:
        raise Http404
    raise NotAllowed("You don't have permission to do that.")
