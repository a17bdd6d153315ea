"""What the pages show: answer messages, the manager's figures and waiting list, the guide,
the directory of mentors with room, and requests that stop changing once matched."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring.models import MenteeRequest, Pairing
from mentoring.services import (
    approve_proposal,
    log_session,
    respond,
    run_matching,
    save_mentee_request,
    write_reflection,
)
from tests.communities.factories import manager_of
from tests.mentoring.factories import (
    SECRET_NOTE,
    _pair,
    active_pair,
    make_mentee,
    make_mentor,
    make_programme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _offered(programme):
    mentor = make_mentor(programme)
    mentee = make_mentee(programme)
    manager = manager_of(programme.community)
    (proposal,) = run_matching(actor=manager, programme=programme)
    approve_proposal(actor=manager, pairing=proposal)
    return proposal, mentor.user, mentee.user


def test_each_side_reads_what_the_other_wrote_when_accepting(client):
    proposal, mentor, mentee = _offered(make_programme())
    client.force_login(mentor)
    client.post(
        reverse("mentoring:pairing-answer", args=[proposal.pk]),
        {"answer": "accept", "message": "Happy to help with <b>SQL</b>."},
    )
    client.force_login(mentee)
    page = client.get(reverse("mentoring:pairing-detail", args=[proposal.pk])).content.decode()
    assert "wrote when accepting:" in page
    assert "Happy to help with &lt;b&gt;SQL&lt;/b&gt;." in page
    respond(actor=mentee, pairing=proposal, accept=True, message="Thank you, see you Monday.")
    pairing = Pairing.objects.get(pk=proposal.pk)
    assert (pairing.mentor_message, pairing.mentee_message) == (
        "Happy to help with <b>SQL</b>.",
        "Thank you, see you Monday.",
    )
    client.force_login(mentor)
    page = client.get(reverse("mentoring:pairing-detail", args=[proposal.pk])).content.decode()
    assert "Thank you, see you Monday." in page


def test_a_decline_message_reaches_the_other_side(client, django_capture_on_commit_callbacks):
    proposal, mentor, mentee = _offered(make_programme())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        respond(actor=mentor, pairing=proposal, accept=False, message="I'm away all spring.")
    (email,) = mail.outbox
    assert email.to == [mentee.email]
    assert "I'm away all spring." in email.body
    client.force_login(mentee)
    page = client.get(reverse("mentoring:pairing-detail", args=[proposal.pk])).content.decode()
    assert "declined, writing:" in page
    assert "I&#x27;m away all spring." in page


def test_an_answer_message_over_1000_characters_writes_nothing(client):
    proposal, mentor, _ = _offered(make_programme())
    client.force_login(mentor)
    response = client.post(
        reverse("mentoring:pairing-answer", args=[proposal.pk]),
        {"answer": "accept", "message": "x" * 1001},
    )
    assert response.status_code == 400
    pairing = Pairing.objects.get(pk=proposal.pk)
    assert pairing.mentor_accepted_at is None
    assert pairing.mentor_message == ""


def test_the_managers_page_shows_the_figures_and_the_longest_waiting_first(client):
    programme = make_programme(name="Figures")
    manager = manager_of(programme.community)
    first, second = (
        _pair(programme, make_mentor(programme, capacity=1), make_mentee(programme))
        for _ in range(2)
    )
    for pairing, sessions in ((first, 2), (second, 4)):
        for k in range(sessions):
            log_session(
                actor=pairing.mentee.user,
                pairing=pairing,
                held_on=timezone.localdate() - dt.timedelta(days=k),
                minutes=30,
                notes=SECRET_NOTE,
            )
    write_reflection(actor=second.mentee.user, pairing=second, text="Grew.", rating=5)
    write_reflection(actor=second.mentor.user, pairing=second, text="Good.", rating=4)
    MenteeRequest.objects.filter(pk=first.mentee_id).update(
        created_at=timezone.now() - dt.timedelta(days=5),
        matched_at=timezone.now() - dt.timedelta(days=1),
    )
    MenteeRequest.objects.filter(pk=second.mentee_id).update(
        created_at=timezone.now() - dt.timedelta(days=3),
        matched_at=timezone.now() - dt.timedelta(days=1),
    )
    newer = make_mentee(programme, topics=["cobol"])
    older = make_mentee(programme, topics=["fortran"])
    MenteeRequest.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - dt.timedelta(days=30)
    )
    Pairing.objects.create(
        programme=programme, mentor=first.mentor, mentee=newer, status="proposed", score=40
    )
    client.force_login(manager)
    page = client.get(reverse("mentoring:programme-manage", args=[programme.pk])).content.decode()
    figures = {
        "Mentors": "2",
        "Mentees waiting": "2",
        "Proposals to review": "1",
        "Active relationships": "1",
        "Closed": "1",
        "Median days to match": "3.0",
        "Sessions per relationship": "3.0",
        "Rating": "4.5 of 5 (2)",
    }
    for label, value in figures.items():
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page, label
    assert SECRET_NOTE not in page
    assert "Grew." not in page
    section = page.split("Mentees waiting, longest first", 1)[1].split("</section>", 1)[0]
    assert section.index(older.user.public_name) < section.index(newer.user.public_name)


def test_the_directory_lists_mentors_with_room_only(client):
    programme = make_programme()
    roomy = make_mentor(programme, capacity=2)
    full = make_mentor(programme, capacity=1)
    Pairing.objects.create(
        programme=programme, mentor=full, mentee=make_mentee(programme), status="proposed"
    )
    approve_proposal(
        actor=manager_of(programme.community), pairing=Pairing.objects.get(mentor=full)
    )
    client.force_login(make_mentee(programme).user)
    page = client.get(reverse("mentoring:mentor-list", args=[programme.pk])).content.decode()
    assert roomy.user.public_name in page
    assert "2 of 2 places free" in page
    assert full.user.public_name not in page


def test_a_mentee_request_is_editable_until_matched():
    pairing = active_pair()
    request = pairing.mentee
    with pytest.raises(ValidationError, match="already matched"):
        save_mentee_request(
            actor=request.user,
            programme=pairing.programme,
            goals="Something else entirely.",
            topics=["python"],
            timezone_name="UTC",
            hours_from=9,
            hours_to=17,
            languages="english",
        )
    assert MenteeRequest.objects.get(pk=request.pk).goals == "Build my first pipeline."
    waiting = make_mentee(pairing.programme)
    save_mentee_request(
        actor=waiting.user,
        programme=pairing.programme,
        goals="Learn dbt.",
        topics=["dbt"],
        timezone_name="Europe/Madrid",
        hours_from=8,
        hours_to=12,
        languages="spanish, english",
    )
    waiting.refresh_from_db()
    assert (waiting.goals, waiting.timezone) == ("Learn dbt.", "Europe/Madrid")


def test_a_mentor_reads_the_guide_from_the_pairing_page(client):
    pairing = active_pair()
    client.force_login(pairing.mentor.user)
    page = client.get(reverse("mentoring:pairing-detail", args=[pairing.pk])).content.decode()
    guide_url = reverse("mentoring:programme-guide", args=[pairing.programme_id])
    assert f'href="{guide_url}"' in page
    guide = client.get(guide_url).content.decode()
    assert "<strong>success</strong>" in guide
