"""Two reviewers asking for the same reallocated review at the same moment: one gets it."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from feedback.models import Phase, Review, ReviewStatus
from feedback.services.reviews import claim_review, reallocate_overdue
from feedback.services.rounds import add_outside_reviewer
from tests.communities.factories import add_member
from tests.feedback.factories import story


def _open_review():
    """A round of three where one reviewer missed the deadline and nobody eligible is left
    to take it automatically; then two outside reviewers join."""
    s = story(n=3, phase=Phase.REVIEW)
    late = Review.objects.filter(round=s.round).first()
    Review.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    reallocate_overdue(round_id=s.round.pk)
    opened = Review.objects.get(status=ReviewStatus.OPEN)
    helpers = [add_member(s.community), add_member(s.community)]
    for helper in helpers:
        add_outside_reviewer(actor=s.owner, round_=s.round, user=helper)
    return s, late, opened, helpers


@pytest.mark.django_db
def test_a_lapsed_review_opens_and_the_second_claim_is_told_it_is_gone():
    _, late, opened, (first, second) = _open_review()
    late.refresh_from_db()
    assert late.status == ReviewStatus.LAPSED
    claim_review(actor=first, review=opened)
    with pytest.raises(Exception) as caught:  # noqa: PT011 - 404 or "someone else took it"
        claim_review(actor=second, review=Review.objects.get(pk=opened.pk))
    assert caught.type.__name__ in {"Http404", "StateError"}
    opened.refresh_from_db()
    assert opened.reviewer == first


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_claims_at_once_one_wins(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    s, _, opened, helpers = _open_review()
    barrier = threading.Barrier(2)
    outcomes = []

    def claim(user):
        try:
            # Both load the open review first, so the race is in the claim itself (loading
            # it after the other's claim committed is a plain 404: nothing to race).
            review = Review.objects.get(pk=opened.pk)
            barrier.wait()
            claim_review(actor=user, review=review)
            outcomes.append("won")
        except ValidationError:
            outcomes.append("lost")
        except Exception as error:  # surfaced by the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()

    workers = [threading.Thread(target=claim, args=(user,)) for user in helpers]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcomes) == ["lost", "won"]
    opened.refresh_from_db()
    assert opened.status == ReviewStatus.ASSIGNED
    assert opened.reviewer_id in {u.pk for u in helpers}
    live = Review.objects.filter(submission_id=opened.submission_id).exclude(
        status=ReviewStatus.LAPSED
    )
    assert live.count() == s.round.reviewers_per_submission
