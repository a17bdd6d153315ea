"""Two clicks on "accept" at the same moment accept once: one notification, one badge."""

import threading

import pytest
from django.db import connection

from communities.discussions.models.badges import BadgeKind
from communities.discussions.models.notifications import NotificationKind
from communities.discussions.services.threads import accept_answer
from communities.models import AwardedBadge, Notification, Thread
from tests.communities.factories import Cast, make_reply, make_thread


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_once_accept_once(settings):
    cast = Cast()
    question = make_thread(author=cast.member, community=cast.community, is_anonymous=True)
    answer = make_reply(author=cast.other_member, thread=question)
    barrier = threading.Barrier(2)
    errors = []

    def click():
        try:
            barrier.wait()
            accept_answer(actor=cast.member, thread=question, post=answer)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=click) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    assert Thread.objects.get(pk=question.pk).accepted_answer_id == answer.pk
    accepted = Notification.objects.filter(kind=NotificationKind.ANSWER_ACCEPTED)
    assert list(accepted.values_list("recipient_id", flat=True)) == [cast.other_member.pk]
    helpful = AwardedBadge.objects.filter(kind=BadgeKind.HELPFUL_ANSWER)
    assert list(helpful.values_list("user_id", flat=True)) == [cast.other_member.pk]
