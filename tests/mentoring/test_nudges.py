"""The daily job: each nudge once, whatever runs twice."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from mentoring.models import Notice, Pairing
from mentoring.services import request_mentor
from mentoring.tasks import send_mentoring_nudges
from tests.mentoring.factories import active_pair, make_mentee, make_mentor, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return send_mentoring_nudges()


def test_a_quiet_pair_is_nudged_once_per_lapse_and_managers_hear_of_a_second(
    django_capture_on_commit_callbacks,
):
    pairing = active_pair()  # cadence 14 days: quiet after 21
    today = timezone.localdate()
    Pairing.objects.filter(pk=pairing.pk).update(started_on=today - dt.timedelta(days=30))
    mail.outbox.clear()
    assert run_job(django_capture_on_commit_callbacks)["quiet"] == 1
    assert run_job(django_capture_on_commit_callbacks)["quiet"] == 0
    quiet = [m for m in mail.outbox if m.subject == "Time for a mentoring session?"]
    assert len(quiet) == 2  # mentor and mentee, once
    # A session, then another quiet spell: a second lapse, and the manager is told.
    Pairing.objects.filter(pk=pairing.pk).update(last_session_on=today - dt.timedelta(days=25))
    assert run_job(django_capture_on_commit_callbacks)["quiet"] == 1
    run_job(django_capture_on_commit_callbacks)
    stalled = [m for m in mail.outbox if "stalled twice" in m.subject]
    assert len(stalled) == 1
    assert Notice.objects.filter(kind="no_session").count() == 4


def test_a_request_about_to_lapse_reminds_the_mentor_then_lapses(
    django_capture_on_commit_callbacks,
):
    programme = make_programme(matching_mode="mentee")
    mentor = make_mentor(programme)
    mentee = make_mentee(programme)
    pairing = request_mentor(actor=mentee.user, programme=programme, mentor=mentor)
    Pairing.objects.filter(pk=pairing.pk).update(respond_by=timezone.now() + dt.timedelta(hours=5))
    mail.outbox.clear()
    assert run_job(django_capture_on_commit_callbacks)["reminded"] == 1
    assert run_job(django_capture_on_commit_callbacks)["reminded"] == 0
    assert [m.to for m in mail.outbox] == [[mentor.user.email]]
    Pairing.objects.filter(pk=pairing.pk).update(respond_by=timezone.now() - dt.timedelta(hours=1))
    assert run_job(django_capture_on_commit_callbacks)["lapsed"] == 1
    assert run_job(django_capture_on_commit_callbacks)["lapsed"] == 0
    assert Pairing.objects.get(pk=pairing.pk).status == "lapsed"
    assert mail.outbox[-1].to == [mentee.user.email]
    assert "lapsed" in mail.outbox[-1].subject
    mentor.refresh_from_db()
    assert mentor.seats_taken == 0
