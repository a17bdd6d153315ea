"""Every mentoring email also puts one line on the person's /notifications/ page, once."""

import datetime as dt

import pytest
from django.utils import timezone

from communities.models import Notification
from mentoring.models import Pairing
from mentoring.services import approve_proposal, request_mentor, respond, run_matching
from mentoring.tasks import send_mentoring_nudges
from tests.communities.factories import manager_of
from tests.mentoring.factories import active_pair, make_mentee, make_mentor, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def lines(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("message", flat=True)
    )


def test_proposal_and_start_reach_both_sides_pages(client):
    programme = make_programme(name="Data mentoring")
    mentor = make_mentor(programme)
    mentee = make_mentee(programme)
    manager = manager_of(programme.community)
    (proposal,) = run_matching(actor=manager, programme=programme)
    assert not Notification.objects.exists()  # a draft is the manager's alone
    approve_proposal(actor=manager, pairing=proposal)
    respond(actor=mentor.user, pairing=proposal, accept=True)
    respond(actor=mentee.user, pairing=proposal, accept=True)
    mentor_name, mentee_name = mentor.user.public_name, mentee.user.public_name
    for user in (mentor.user, mentee.user):
        assert lines(user) == [
            f"Data mentoring: {mentor_name} is proposed as mentor for {mentee_name}. "
            "Accept or decline.",
            f"Your mentoring relationship of {mentor_name} and {mentee_name} in Data mentoring "
            "is active.",
        ]
    assert lines(manager) == []
    client.force_login(mentee.user)
    page = client.get("/notifications/").content.decode()
    assert f'<a href="/mentoring/pairings/{proposal.pk}/">Your mentoring relationship' in page
    assert "data-unread-count>2<" in page
    client.force_login(manager)
    assert "is active." not in client.get("/notifications/").content.decode()


def test_a_mentee_hears_when_a_request_is_declined_accepted_or_lapses():
    programme = make_programme(matching_mode="mentee", name="Pick a mentor")
    first, second, third = (make_mentor(programme) for _ in range(3))
    mentee = make_mentee(programme)
    declined = request_mentor(actor=mentee.user, programme=programme, mentor=first)
    assert lines(first.user) == [
        f"{mentee.user.public_name} asked you to be their mentor in Pick a mentor."
    ]
    respond(actor=first.user, pairing=declined, accept=False, message="Full this term.")
    assert lines(mentee.user)[-1].endswith("in Pick a mentor was declined.")
    lapsing = request_mentor(actor=mentee.user, programme=programme, mentor=second)
    Pairing.objects.filter(pk=lapsing.pk).update(respond_by=timezone.now() - dt.timedelta(hours=1))
    send_mentoring_nudges()
    send_mentoring_nudges()
    assert lines(mentee.user)[-1] == (
        f"Your request to {second.user.public_name} in Pick a mentor lapsed: choose another mentor."
    )
    accepted = request_mentor(actor=mentee.user, programme=programme, mentor=third)
    respond(actor=third.user, pairing=accepted, accept=True)
    assert lines(mentee.user)[-1].endswith("in Pick a mentor is active.")
    assert len(lines(mentee.user)) == 3


def test_nudges_reach_the_page_once_per_lapse():
    pairing = active_pair()
    Pairing.objects.filter(pk=pairing.pk).update(
        started_on=timezone.localdate() - dt.timedelta(days=30)
    )
    before = Notification.objects.count()
    send_mentoring_nudges()
    send_mentoring_nudges()
    quiet = Notification.objects.filter(message__contains="lately: plan the next one")
    assert sorted(quiet.values_list("recipient_id", flat=True)) == sorted(
        [pairing.mentor.user_id, pairing.mentee.user_id]
    )
    assert Notification.objects.count() == before + 2
    assert {n.url for n in quiet} == {f"/mentoring/pairings/{pairing.pk}/"}


def test_a_reminder_reaches_the_mentors_page():
    programme = make_programme(matching_mode="mentee")
    mentor = make_mentor(programme)
    mentee = make_mentee(programme)
    pairing = request_mentor(actor=mentee.user, programme=programme, mentor=mentor)
    Pairing.objects.filter(pk=pairing.pk).update(respond_by=timezone.now() + dt.timedelta(hours=5))
    send_mentoring_nudges()
    assert lines(mentor.user)[-1].endswith("lapses soon: answer it.")
    assert lines(mentee.user) == []


def test_an_email_whose_sending_failed_goes_out_on_the_retry(monkeypatch, mailoutbox):
    """Mentoring emails use communities' one send-once mechanism: a failed send gives the
    claim back, the retry sends it, and a third run sends nothing."""
    from mentoring.models import Notice
    from mentoring.services import notices

    pairing = active_pair()
    (notice,) = notices.notify(
        kind="no_session", pairing=pairing, recipients=[pairing.mentee.user], key="retry"
    )
    mailoutbox.clear()

    def broken(**kwargs):
        raise ConnectionError("the mail server is down")

    monkeypatch.setattr(notices, "send_member_email", broken)
    with pytest.raises(ConnectionError):
        notices.send_notice_email(notice_id=notice.pk)
    assert Notice.objects.get(pk=notice.pk).sent_at is None
    monkeypatch.undo()
    assert notices.send_notice_email(notice_id=notice.pk) is True
    assert notices.send_notice_email(notice_id=notice.pk) is False
    assert [m.to for m in mailoutbox] == [[mailoutbox[0].to[0]]]
    assert pairing.mentee.user.email in mailoutbox[0].to[0]
