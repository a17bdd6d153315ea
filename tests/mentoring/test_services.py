"""Programmes, profiles, matching runs, proposals and answers, through the services."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from communities.public import NotAllowed, Role, StateError
from mentoring.models import (
    MenteeRequest,
    MentorProfile,
    Notice,
    Pairing,
    PairingStatus,
    Programme,
)
from mentoring.services import (
    approve_proposal,
    create_programme,
    drop_proposal,
    request_mentor,
    respond,
    run_matching,
    save_mentor_profile,
    swap_proposal,
    withdraw_request,
)
from tests.communities.factories import UserFactory, add_member, make_reply, make_thread, manager_of
from tests.mentoring.factories import make_mentee, make_mentor, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_only_managers_open_programmes_and_bad_weights_write_nothing():
    programme = make_programme()
    member = add_member(programme.community)
    with pytest.raises(NotAllowed):
        create_programme(actor=member, community=programme.community, name="X", purpose="Y")
    with pytest.raises(ValidationError, match="Weights run from 0 to 10"):
        create_programme(
            actor=manager_of(programme.community),
            community=programme.community,
            name="X",
            purpose="Y",
            kind="mentoring",
            weight_topics=11,
        )
    assert Programme.objects.count() == 1
    assert "<strong>success</strong>" in programme.guide_html


@pytest.mark.parametrize("capacity", [0, 11, None])
def test_capacity_outside_1_to_10_is_refused(capacity):
    programme = make_programme()
    with pytest.raises(ValidationError, match="Capacity is between 1 and 10"):
        make_mentor(programme, capacity=capacity)
    assert not MentorProfile.objects.exists()


def test_a_mentor_without_topics_is_refused():
    programme = make_programme()
    with pytest.raises(ValidationError, match="at least one topic"):
        make_mentor(programme, topics=())
    assert not MentorProfile.objects.exists()


def test_lived_experience_comes_from_the_programme_list():
    programme = make_programme()
    with pytest.raises(ValidationError, match="programme's list"):
        make_mentor(programme, experiences="astronaut")
    mentor = make_mentor(programme, experiences="Career changer")
    assert mentor.experiences == "career changer"


def test_champions_only_programmes_refuse_plain_members():
    programme = make_programme(mentor_eligibility="champions")
    with pytest.raises(NotAllowed):
        make_mentor(programme)
    assert make_mentor(programme, role=Role.CHAMPION).capacity == 2


def test_outsiders_cannot_fill_profiles():
    programme = make_programme()
    with pytest.raises(NotAllowed):
        make_mentee(programme, user=UserFactory())


def test_matching_is_optimal_not_first_come_and_explains_itself():
    programme = make_programme()
    star = make_mentor(programme, topics=["sql", "dbt"], capacity=1)
    other = make_mentor(programme, topics=["sql"], capacity=1)
    # The first mentee fits both; the second only the star. Greedy would strand the second.
    first = make_mentee(programme, topics=["sql", "dbt"])
    second = make_mentee(programme, topics=["dbt"], languages="english")
    other_profile = MentorProfile.objects.get(pk=other.pk)
    other_profile.languages = "english"
    proposals = run_matching(actor=manager_of(programme.community), programme=programme)
    chosen = {p.mentee_id: p.mentor_id for p in proposals}
    assert chosen == {first.pk: other.pk, second.pk: star.pk}
    by_mentee = {p.mentee_id: p for p in proposals}
    assert by_mentee[second.pk].reasons[0] == "1 shared topic: dbt"
    assert all(p.status == PairingStatus.PROPOSED for p in proposals)
    assert not mail.outbox  # proposals wait for the manager's review


def test_activity_in_the_community_counts_and_reads_as_a_reason():
    programme = make_programme()
    helper = make_mentor(programme, topics=["sql"])
    quiet = make_mentor(programme, topics=["sql"])
    mentee = make_mentee(programme, topics=["sql"])
    asker = add_member(programme.community)
    for _ in range(3):
        question = make_thread(
            author=asker, community=programme.community, kind="question", tag_names=["sql"]
        )
        make_reply(author=helper.user, thread=question)
    proposals = run_matching(actor=manager_of(programme.community), programme=programme)
    assert [(p.mentee_id, p.mentor_id) for p in proposals] == [(mentee.pk, helper.pk)]
    assert "answered 3 of your topics' questions here" in proposals[0].reasons
    assert quiet.seats_taken == 0


def test_declines_keep_the_pair_out_of_later_runs():
    programme = make_programme()
    mentor = make_mentor(programme)
    mentee = make_mentee(programme)
    manager = manager_of(programme.community)
    (proposal,) = run_matching(actor=manager, programme=programme)
    approve_proposal(actor=manager, pairing=proposal)
    respond(actor=mentee.user, pairing=proposal, accept=False, message="Not the right fit.")
    assert MentorProfile.objects.get(pk=mentor.pk).seats_taken == 0
    assert run_matching(actor=manager, programme=programme) == []
    assert Notice.objects.filter(kind="declined", recipient=mentor.user).count() == 1


def test_both_accept_and_the_relationship_starts_with_one_email_each(
    django_capture_on_commit_callbacks,
):
    programme = make_programme()
    mentor = make_mentor(programme)
    mentee = make_mentee(programme)
    manager = manager_of(programme.community)
    (proposal,) = run_matching(actor=manager, programme=programme)
    with django_capture_on_commit_callbacks(execute=True):
        approve_proposal(actor=manager, pairing=proposal)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentor.user.email, mentee.user.email])
    with pytest.raises(StateError):
        approve_proposal(actor=manager, pairing=proposal)
    with django_capture_on_commit_callbacks(execute=True):
        respond(actor=mentor.user, pairing=proposal, accept=True)
        pairing = respond(actor=mentee.user, pairing=proposal, accept=True)
    assert pairing.status == PairingStatus.ACTIVE
    assert MenteeRequest.objects.get(pk=mentee.pk).status == "matched"
    started = [m for m in mail.outbox if "has started" in m.subject]
    assert len(started) == 2
    # Sending again sends nothing: each notice goes out once.
    from mentoring.tasks import send_notice

    assert not any(send_notice(n.pk) for n in Notice.objects.all())
    with pytest.raises(StateError, match="can't be answered"):
        respond(actor=mentor.user, pairing=proposal, accept=True)


def test_strangers_cannot_answer_and_lapsed_offers_cannot_be_accepted():
    programme = make_programme()
    make_mentor(programme)
    mentee = make_mentee(programme)
    manager = manager_of(programme.community)
    (proposal,) = run_matching(actor=manager, programme=programme)
    with pytest.raises(NotAllowed):
        respond(actor=manager, pairing=proposal, accept=True)
    approve_proposal(actor=manager, pairing=proposal)
    Pairing.objects.filter(pk=proposal.pk).update(respond_by=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(StateError, match="lapsed"):
        respond(actor=mentee.user, pairing=proposal, accept=True)
    proposal.refresh_from_db()
    assert proposal.status == PairingStatus.LAPSED
    assert proposal.mentee_accepted_at is None
    assert proposal.mentor.seats_taken == 0


def test_manager_drops_and_swaps_proposals():
    programme = make_programme()
    best = make_mentor(programme, topics=["sql", "dbt"])
    second = make_mentor(programme, topics=["sql"])
    mentee = make_mentee(programme, topics=["sql", "dbt"])
    manager = manager_of(programme.community)
    (proposal,) = run_matching(actor=manager, programme=programme)
    assert proposal.mentor_id == best.pk
    swapped = swap_proposal(actor=manager, pairing=proposal)
    assert swapped.mentor_id == second.pk
    assert swapped.mentee_id == mentee.pk
    with pytest.raises(ValidationError, match="No other mentor"):
        swap_proposal(actor=manager, pairing=swapped)
    assert Pairing.objects.get(pk=swapped.pk).status == PairingStatus.PROPOSED
    drop_proposal(actor=manager, pairing=swapped)
    assert run_matching(actor=manager, programme=programme) == []


def test_a_full_mentor_cannot_be_requested_or_approved():
    programme = make_programme(matching_mode="mentee")
    mentor = make_mentor(programme, capacity=1)
    first = make_mentee(programme)
    second = make_mentee(programme)
    request_mentor(actor=first.user, programme=programme, mentor=mentor)
    with pytest.raises(ValidationError, match="no free place left"):
        request_mentor(actor=second.user, programme=programme, mentor=mentor)
    assert Pairing.objects.count() == 1
    assert MentorProfile.objects.get(pk=mentor.pk).seats_taken == 1


def test_accepting_a_withdrawn_request_is_refused(django_capture_on_commit_callbacks):
    programme = make_programme(matching_mode="mentee")
    mentor = make_mentor(programme)
    mentee = make_mentee(programme)
    with django_capture_on_commit_callbacks(execute=True):
        pairing = request_mentor(actor=mentee.user, programme=programme, mentor=mentor)
    assert mail.outbox[-1].to == [mentor.user.email]
    withdraw_request(actor=mentee.user, pairing=pairing)
    with pytest.raises(StateError, match="withdrawn"):
        respond(actor=mentor.user, pairing=pairing, accept=True)
    assert MentorProfile.objects.get(pk=mentor.pk).seats_taken == 0


def test_capacity_cannot_drop_below_places_taken():
    programme = make_programme(matching_mode="mentee")
    mentor = make_mentor(programme, capacity=2)
    for _ in range(2):
        mentee = make_mentee(programme)
        request_mentor(actor=mentee.user, programme=programme, mentor=mentor)
    with pytest.raises(ValidationError, match="can't be lower"):
        save_mentor_profile(
            actor=mentor.user,
            programme=programme,
            topics=["sql"],
            capacity=1,
            timezone_name="UTC",
            hours_from=9,
            hours_to=17,
            languages="english",
        )
    assert MentorProfile.objects.get(pk=mentor.pk).capacity == 2


def test_a_preferred_mentor_wins_a_close_call_and_the_reason_says_so():
    programme = make_programme()
    make_mentor(programme, topics=["sql"])
    liked = make_mentor(programme, topics=["sql"])
    mentee = make_mentee(programme, topics=["sql"], preferred_mentor=liked)
    (proposal,) = run_matching(actor=manager_of(programme.community), programme=programme)
    assert proposal.mentor_id == liked.pk
    assert proposal.mentee_id == mentee.pk
    assert proposal.reasons[0] == "the mentor you asked for"


def test_managers_change_weights_and_close_a_programme_to_newcomers():
    from mentoring.services import update_programme

    programme = make_programme()
    manager = manager_of(programme.community)
    with pytest.raises(ValidationError, match="At least one weight"):
        update_programme(
            actor=manager,
            programme=programme,
            weight_topics=0,
            weight_experience=0,
            weight_timezone=0,
            weight_language=0,
            weight_activity=0,
        )
    with pytest.raises(NotAllowed):
        update_programme(actor=add_member(programme.community), programme=programme, name="X")
    update_programme(actor=manager, programme=programme, weight_topics=9, is_open=False)
    programme.refresh_from_db()
    assert programme.weight_topics == 9
    assert programme.weight_activity == 2
    with pytest.raises(NotAllowed):
        make_mentor(programme)


def test_a_swap_takes_the_next_best_allowed_mentor_with_room(client):
    """Each better-scored mentor is ruled out by one rule: declined this mentee before,
    full, or whose last place another proposal of this run holds."""
    programme = make_programme()
    manager = manager_of(programme.community)
    declined = make_mentor(programme, topics=["sql", "dbt", "airflow"], capacity=2)
    mentee = make_mentee(programme, topics=["sql", "dbt", "airflow"])
    (first,) = run_matching(actor=manager, programme=programme)
    approve_proposal(actor=manager, pairing=first)
    respond(actor=mentee.user, pairing=first, accept=False, message="Not now.")
    best = make_mentor(programme, topics=["sql", "dbt", "airflow"], capacity=1)
    full = make_mentor(programme, topics=["sql", "dbt", "airflow"], capacity=1)
    MentorProfile.objects.filter(pk=full.pk).update(seats_taken=1)
    busy = make_mentor(programme, topics=["sql", "dbt", "kafka"], capacity=1)
    other_mentee = make_mentee(programme, topics=["kafka"])
    fallback = make_mentor(programme, topics=["sql"], capacity=2)
    proposals = {p.mentee_id: p for p in run_matching(actor=manager, programme=programme)}
    assert proposals[mentee.pk].mentor_id == best.pk
    assert proposals[other_mentee.pk].mentor_id == busy.pk
    client.force_login(manager)
    response = client.post(
        f"/mentoring/p/{programme.pk}/proposals/{proposals[mentee.pk].pk}/swap/",
        follow=True,
    )
    assert "Swapped for the next best mentor with room." in response.content.decode()
    live = Pairing.objects.filter(programme=programme, status=PairingStatus.PROPOSED)
    assert {(p.mentee_id, p.mentor_id) for p in live} == {
        (mentee.pk, fallback.pk),
        (other_mentee.pk, busy.pk),
    }
    swapped = live.get(mentee=mentee)
    assert "sql" in " ".join(swapped.reasons)
    assert Pairing.objects.get(pk=proposals[mentee.pk].pk).status == PairingStatus.DROPPED
    assert MentorProfile.objects.get(pk=declined.pk).seats_taken == 0
    # Nobody is left: a clear message, and the proposal stays as it was.
    response = client.post(f"/mentoring/p/{programme.pk}/proposals/{swapped.pk}/swap/", follow=True)
    assert "No other mentor with room fits this mentee." in response.content.decode()
    assert Pairing.objects.get(pk=swapped.pk).status == PairingStatus.PROPOSED
    # Approving every proposal never goes over anyone's capacity.
    for pairing in Pairing.objects.filter(programme=programme, status=PairingStatus.PROPOSED):
        approve_proposal(actor=manager, pairing=pairing)
    for profile in MentorProfile.objects.filter(programme=programme):
        assert profile.seats_taken <= profile.capacity


def test_peer_pairs_are_not_swapped_one_way():
    programme = make_programme(kind="peer")
    manager = manager_of(programme.community)
    for offers, wants in ((["sql"], ["dbt"]), (["dbt"], ["sql"])):
        user = make_mentor(programme, topics=offers).user
        make_mentee(programme, user, topics=wants)
    (pair,) = run_matching(actor=manager, programme=programme)
    with pytest.raises(StateError, match="run matching again"):
        swap_proposal(actor=manager, pairing=pair)
    assert Pairing.objects.get(pk=pair.pk).status == PairingStatus.PROPOSED


def test_a_request_waits_five_days_by_default_then_lapses_and_the_mentee_is_told():
    from communities.models import Notification

    programme = make_programme(matching_mode="mentee")
    assert programme.request_deadline_days == 5
    mentor = make_mentor(programme)
    mentee = make_mentee(programme)
    before = timezone.now()
    pairing = request_mentor(actor=mentee.user, programme=programme, mentor=mentor)
    deadline = pairing.respond_by - before
    assert dt.timedelta(days=5) <= deadline < dt.timedelta(days=5, minutes=1)
    Pairing.objects.filter(pk=pairing.pk).update(respond_by=before - dt.timedelta(minutes=1))
    with pytest.raises(StateError, match="lapsed"):
        respond(actor=mentor.user, pairing=pairing, accept=True)
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.LAPSED
    assert pairing.mentor_accepted_at is None
    assert Notice.objects.filter(kind="lapsed", recipient=mentee.user).count() == 1
    assert Notification.objects.filter(recipient=mentee.user, message__contains="lapsed").exists()
    assert MentorProfile.objects.get(pk=mentor.pk).seats_taken == 0
