"""Two mentees asking for a mentor's last place at the same moment, or two proposals approved
at once for the same mentor: the place is given once (row lock on the mentor's profile, and a
check constraint behind it)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from mentoring.models import MentorProfile, Pairing, PairingStatus
from mentoring.services import approve_proposal, request_mentor, run_matching
from tests.communities.factories import manager_of
from tests.mentoring.factories import make_mentee, make_mentor, make_programme


def at_once(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error)
        except Exception as error:  # surfaced by the assertions
            outcomes.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(call,)) for call in calls]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return outcomes


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_mentees_request_the_last_place_at_once():
    programme = make_programme(matching_mode="mentee")
    mentor = make_mentor(programme, capacity=1)
    first, second = make_mentee(programme), make_mentee(programme)
    outcomes = at_once(
        lambda: request_mentor(actor=first.user, programme=programme, mentor=mentor),
        lambda: request_mentor(actor=second.user, programme=programme, mentor=mentor),
    )
    assert outcomes.count("ok") == 1
    (refused,) = [o for o in outcomes if o != "ok"]
    assert isinstance(refused, ValidationError)
    assert "no free place left" in str(refused)
    assert MentorProfile.objects.get(pk=mentor.pk).seats_taken == 1
    assert Pairing.objects.filter(status=PairingStatus.REQUESTED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_proposals_for_one_mentor_approved_at_once():
    programme = make_programme()
    mentor = make_mentor(programme, capacity=2)
    manager = manager_of(programme.community)
    make_mentee(programme)
    make_mentee(programme)
    proposals = run_matching(actor=manager, programme=programme)
    assert len(proposals) == 2
    # The mentor lowers nothing, but another place is taken meanwhile: one place is left.
    MentorProfile.objects.filter(pk=mentor.pk).update(capacity=1)
    outcomes = at_once(*(lambda p=p: approve_proposal(actor=manager, pairing=p) for p in proposals))
    assert outcomes.count("ok") == 1
    assert MentorProfile.objects.get(pk=mentor.pk).seats_taken == 1
    assert Pairing.objects.filter(status=PairingStatus.OFFERED).count() == 1
    assert Pairing.objects.filter(status=PairingStatus.PROPOSED).count() == 1
