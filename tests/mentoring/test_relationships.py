"""What a pair does together, and the bad input that must write nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from communities.public import NotAllowed, StateError
from mentoring.models import Goal, MentoringSession, MentorProfile, Pairing, Reflection
from mentoring.services import (
    add_goal,
    log_session,
    plan_next_session,
    update_goal,
    write_reflection,
)
from tests.communities.factories import add_member
from tests.mentoring.factories import active_pair

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def pairing():
    return Pairing.objects.select_related("mentor__user", "mentee__user", "programme").get(
        pk=active_pair().pk
    )


@pytest.mark.parametrize("progress", [-1, 101, "lots"])
def test_goal_progress_outside_0_to_100_is_refused(pairing, progress):
    goal = add_goal(actor=pairing.mentee.user, pairing=pairing, title="Ship my first DAG")
    with pytest.raises(ValidationError, match=r"0 (and|to) 100"):
        update_goal(actor=pairing.mentee.user, goal=goal, progress=progress)
    assert Goal.objects.get(pk=goal.pk).progress == 0


def test_progress_of_100_marks_the_goal_done(pairing):
    goal = add_goal(actor=pairing.mentor.user, pairing=pairing, title="Ship my first DAG")
    update_goal(actor=pairing.mentee.user, goal=goal, progress=100, comment="Shipped!")
    goal.refresh_from_db()
    assert goal.is_done
    assert goal.progress_comment == "Shipped!"


def test_only_the_pair_writes(pairing):
    stranger = add_member(pairing.programme.community)
    with pytest.raises(NotAllowed):
        add_goal(actor=stranger, pairing=pairing, title="Sneaky")
    with pytest.raises(NotAllowed):
        log_session(actor=stranger, pairing=pairing, held_on=timezone.localdate(), minutes=30)
    assert not Goal.objects.exists()
    assert not MentoringSession.objects.exists()


def test_a_session_date_more_than_a_year_out_is_refused(pairing):
    far = timezone.localdate() + dt.timedelta(days=400)
    with pytest.raises(ValidationError, match="more than a year away"):
        log_session(actor=pairing.mentee.user, pairing=pairing, held_on=far, minutes=30)
    with pytest.raises(ValidationError, match="more than a year away"):
        plan_next_session(
            actor=pairing.mentee.user,
            pairing=pairing,
            starts_at=timezone.now() + dt.timedelta(days=400),
        )
    assert not MentoringSession.objects.exists()
    assert Pairing.objects.get(pk=pairing.pk).next_session_at is None


def test_sessions_count_and_action_items_carry_to_the_next_one(pairing, client):
    log_session(
        actor=pairing.mentee.user,
        pairing=pairing,
        held_on=timezone.localdate(),
        minutes=45,
        topics="airflow",
        notes="Walked through retries.",
        action_items="Write the retry policy down.",
    )
    stored = Pairing.objects.get(pk=pairing.pk)
    assert stored.session_count == 1
    assert stored.last_session_on == timezone.localdate()
    client.force_login(pairing.mentor.user)
    page = client.get(reverse("mentoring:pairing-detail", args=[pairing.pk])).content.decode()
    assert "Action items from last time" in page
    assert "Write the retry policy down." in page


def test_closing_with_reflections_from_each_side(pairing):
    write_reflection(actor=pairing.mentee.user, pairing=pairing, text="Grew a lot.", rating=5)
    closed = Pairing.objects.get(pk=pairing.pk)
    assert closed.status == "closed"
    assert MentorProfile.objects.get(pk=pairing.mentor_id).seats_taken == 0
    with pytest.raises(StateError, match="closed"):
        log_session(
            actor=pairing.mentor.user, pairing=closed, held_on=timezone.localdate(), minutes=30
        )
    with pytest.raises(StateError, match="already written"):
        write_reflection(actor=pairing.mentee.user, pairing=closed, text="Again", rating=4)
    with pytest.raises(ValidationError, match="Rate from 1"):
        write_reflection(actor=pairing.mentor.user, pairing=closed, text="Good.", rating=6)
    write_reflection(actor=pairing.mentor.user, pairing=closed, text="Good pair.", rating=4)
    assert Reflection.objects.filter(pairing=pairing).count() == 2
    assert not MentoringSession.objects.exists()


def test_the_next_session_downloads_as_ics(pairing, client):
    starts = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    plan_next_session(actor=pairing.mentor.user, pairing=pairing, starts_at=starts, minutes=30)
    client.force_login(pairing.mentee.user)
    response = client.get(reverse("mentoring:session-ics", args=[pairing.pk]))
    assert response["Content-Type"] == "text/calendar"
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body
    assert starts.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S") in body


def test_bad_session_input_on_the_page_shows_a_message_and_writes_nothing(pairing, client):
    client.force_login(pairing.mentee.user)
    far = (timezone.localdate() + dt.timedelta(days=500)).isoformat()
    response = client.post(
        reverse("mentoring:session-create", args=[pairing.pk]),
        {"held_on": far, "minutes": "30"},
    )
    assert response.status_code == 400
    assert "more than a year away" in response.content.decode()
    assert not MentoringSession.objects.exists()
    response = client.post(
        reverse("mentoring:goal-update", args=[pairing.pk, 999]), {"progress": "50"}
    )
    assert response.status_code == 404
