"""Each peer-review notice (reviews ready, results ready, a review passed on, a revision due)
is also a line on the person's notifications page, once, naming nobody else."""

import pytest
from django.utils import timezone

from communities.models import Notification
from feedback.models import Notice, Phase, Round
from feedback.tasks import advance_due_rounds
from tests.feedback.factories import story

pytestmark = pytest.mark.django_db


def test_reviewers_find_their_reviews_in_their_notifications_once():
    s = story(n=3)
    Round.objects.filter(pk=s.round.pk).update(submission_due_at=timezone.now())
    Notification.objects.all().delete()
    assert advance_due_rounds() == 1
    assert advance_due_rounds() == 0
    notices = list(Notice.objects.all())
    assert notices
    rows = list(Notification.objects.filter(event__startswith="feedback:"))
    assert sorted(n.event for n in rows) == sorted(f"feedback:{n.pk}" for n in notices)
    by_event = {f"feedback:{n.pk}": n for n in notices}
    for row in rows:
        notice = by_event[row.event]
        assert row.recipient_id == notice.user_id
        assert row.message == notice.subject
        assert row.url == "/reviews/"
        for author in s.authors:
            if author.pk != row.recipient_id:
                assert author.public_name not in row.message
    # Only the people the notices are for.
    assert {n.recipient_id for n in rows} == {n.user_id for n in notices}


def test_results_ready_reach_the_notifications_page():
    s = story(n=3, phase=Phase.REVIEW)
    Round.objects.filter(pk=s.round.pk).update(review_due_at=timezone.now())
    advance_due_rounds()
    messages = list(
        Notification.objects.filter(event__startswith="feedback:").values_list("message", flat=True)
    )
    assert sum("results" in m for m in messages) == 3
