"""Jobs: phases by the clock, reminders, reallocation and notices, each once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback.models import Notice, NoticeKind, Phase, Review, ReviewStatus, Round
from feedback.services.reviews import (
    reallocate_overdue,
    save_review,
    send_pending_reminders,
)
from feedback.services.rounds import add_outside_reviewer
from feedback.tasks import advance_due_rounds, reallocate_and_remind
from tests.communities.factories import add_member
from tests.feedback.factories import levels_for, story

pytestmark = pytest.mark.django_db


def test_phases_advance_by_the_clock_once(django_capture_on_commit_callbacks):
    s = story(n=3)
    Round.objects.filter(pk=s.round.pk).update(submission_due_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert advance_due_rounds() == 1
        assert advance_due_rounds() == 0
    assert s.refresh().phase == Phase.REVIEW
    assert Review.objects.filter(round=s.round).count() == 6
    # Every reviewer is told once that their reviews are ready.
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        for author in s.authors:
            assert author.public_name not in message.body


def test_a_round_with_too_few_submissions_stays_put():
    s = story(n=2)
    Round.objects.filter(pk=s.round.pk).update(submission_due_at=timezone.now())
    assert advance_due_rounds() == 0
    assert s.refresh().phase == Phase.SUBMISSION


def test_pending_reminders_at_half_time_every_48h_at_most_three(
    django_capture_on_commit_callbacks,
):
    s = story(n=3, phase=Phase.REVIEW)
    mail.outbox.clear()
    review = Review.objects.filter(round=s.round).first()
    start = review.assigned_at
    Review.objects.filter(round=s.round).exclude(pk=review.pk).update(status=ReviewStatus.DRAFT)
    span = review.due_at - start
    with django_capture_on_commit_callbacks(execute=True):
        assert send_pending_reminders(round_id=s.round.pk, now=start + span / 4) == 0
        assert send_pending_reminders(round_id=s.round.pk, now=start + span / 2) == 1
        assert send_pending_reminders(round_id=s.round.pk, now=start + span / 2) == 0
        later = start + span / 2 + timedelta(hours=49)
        assert send_pending_reminders(round_id=s.round.pk, now=later) == 1
        assert send_pending_reminders(round_id=s.round.pk, now=later + timedelta(hours=49)) == 1
        assert send_pending_reminders(round_id=s.round.pk, now=later + timedelta(hours=99)) == 0
    assert len(mail.outbox) == 3
    assert Notice.objects.filter(kind=NoticeKind.REVIEW_PENDING).count() == 3


def test_a_missed_review_goes_to_the_least_loaded_eligible_reviewer():
    s = story(n=3, phase=Phase.REVIEW)
    helper = add_member(s.community)
    add_outside_reviewer(actor=s.owner, round_=s.round, user=helper)
    late = Review.objects.filter(round=s.round).first()
    Review.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(minutes=5))
    assert reallocate_overdue(round_id=s.round.pk) == 1
    assert reallocate_overdue(round_id=s.round.pk) == 0, "running twice moves nothing twice"
    late.refresh_from_db()
    assert late.status == ReviewStatus.LAPSED
    fresh = Review.objects.get(submission=late.submission, reviewer=helper)
    assert fresh.status == ReviewStatus.ASSIGNED
    assert fresh.due_at > timezone.now()


def test_a_started_review_keeps_its_claim_for_the_lease():
    s = story(n=3, phase=Phase.REVIEW)
    review = Review.objects.filter(round=s.round).first()
    save_review(actor=review.reviewer, review=review, levels=levels_for(s.round))
    due = timezone.now() - timedelta(hours=1)
    Review.objects.filter(pk=review.pk).update(due_at=due)
    assert reallocate_overdue(round_id=s.round.pk, now=due + timedelta(hours=7)) == 0
    assert reallocate_overdue(round_id=s.round.pk, now=due + timedelta(hours=9)) == 1
    review.refresh_from_db()
    assert review.status == ReviewStatus.LAPSED


def test_results_ready_notice_once_when_the_review_phase_ends(django_capture_on_commit_callbacks):
    s = story(n=3, phase=Phase.REVIEW)
    mail.outbox.clear()
    Round.objects.filter(pk=s.round.pk).update(review_due_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        advance_due_rounds()
        advance_due_rounds()
        reallocate_and_remind()
    subjects = [m.subject for m in mail.outbox]
    assert sum("results" in subject for subject in subjects) == 3
    assert s.refresh().phase == Phase.REVISION


def test_the_review_phase_waits_for_started_reviews_until_the_lease_ends():
    from feedback.services.rounds import rounds_due_to_advance

    s = story(n=3, phase=Phase.REVIEW)
    review = Review.objects.filter(round=s.round).first()
    save_review(actor=review.reviewer, review=review, levels=levels_for(s.round))
    due = timezone.now() - timedelta(minutes=1)
    Round.objects.filter(pk=s.round.pk).update(review_due_at=due)
    assert rounds_due_to_advance(now=due + timedelta(hours=1)) == []
    assert rounds_due_to_advance(now=due + timedelta(hours=9)) == [(s.round.pk, Phase.REVIEW)]


def test_a_notice_whose_sending_failed_goes_out_on_the_retry(monkeypatch):
    """Notices use communities' one send-once mechanism: a failed send gives the claim back,
    so the retry sends it, and a third run sends nothing."""
    from feedback.services import notices

    s = story(n=3)
    notice = Notice.objects.create(
        round=s.round,
        user=s.authors[0],
        kind=NoticeKind.RESULTS_READY,
        key="retry",
        subject="Your results",
        body="They are ready.",
    )
    mail.outbox.clear()

    def broken(**kwargs):
        raise ConnectionError("the mail server is down")

    monkeypatch.setattr(notices, "send_member_email", broken)
    with pytest.raises(ConnectionError):
        notices.send_notice_now(notice.pk)
    notice.refresh_from_db()
    assert notice.sent_at is None
    monkeypatch.undo()
    assert notices.send_notice_now(notice.pk) is True
    assert notices.send_notice_now(notice.pk) is False
    assert [m.subject for m in mail.outbox] == ["[Trellis] Your results"]


def test_reminders_name_each_deadline_in_the_reviewers_zone_without_reading_anyone_twice():
    """The reviewer comes with their review: naming the deadline in their zone reads no one
    again (sending the notice itself loads the recipient once, as every notice does)."""
    s = story(n=3, phase=Phase.REVIEW)
    reviews = list(Review.objects.filter(round=s.round).select_related("reviewer"))
    Review.objects.filter(round=s.round).update(
        assigned_at=timezone.now() - timedelta(days=30), due_at=timezone.now() + timedelta(days=1)
    )
    for review in reviews:
        review.reviewer.timezone = "Asia/Tokyo"
        review.reviewer.save(update_fields=["timezone"])
    with CaptureQueriesContext(connection) as queries:
        assert send_pending_reminders(round_id=s.round.pk) == len(reviews)
    zone_reads = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "communities_user"."id", "communities_user"."timezone"')
    ]
    assert zone_reads == []
    bodies = Notice.objects.filter(kind=NoticeKind.REVIEW_PENDING).values_list("body", flat=True)
    assert bodies
    assert all("(Asia/Tokyo)" in body for body in bodies)
