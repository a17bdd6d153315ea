"""Two roll-ups of the same communities at once (a slow nightly run meeting the hourly one,
or two workers) queue behind the lock on their marks and leave the rows one run leaves."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from communities.discussions.services import contributions
from communities.models import DailyContribution, Post, Thread
from tests.communities.factories import Cast, make_reply, make_thread


def _rows():
    return sorted(
        DailyContribution.objects.values_list(
            "community_id", "user_id", "day", "questions", "answers"
        )
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_roll_ups_at_once_write_the_rows_of_one():
    cast = Cast()
    question = make_thread(author=cast.member, community=cast.community)
    for person in (cast.other_member, cast.champion, cast.moderator):
        make_reply(author=person, thread=question)
    Thread.objects.update(created_at=timezone.now() - timedelta(days=3))
    Post.objects.update(created_at=timezone.now() - timedelta(days=2))
    barrier = threading.Barrier(4)
    errors = []

    def run(full: bool):
        try:
            barrier.wait()
            contributions.roll_up(community_ids=[cast.community.pk], full=full)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(n % 2 == 0,)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    together = _rows()
    assert len(together) == 4
    contributions.roll_up(community_ids=[cast.community.pk], full=True)
    assert _rows() == together
