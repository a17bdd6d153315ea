"""Peer coaching pairs people reciprocally; mentee-led programmes let mentees choose."""

import pytest
from django.urls import reverse

from mentoring.models import MenteeRequest, MentorProfile, Pairing, PairingStatus
from mentoring.services import approve_proposal, respond, run_matching
from tests.communities.factories import add_member, manager_of
from tests.mentoring.factories import make_mentee, make_mentor, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def peer(programme, offers, wants):
    user = add_member(programme.community)
    make_mentor(programme, user=user, topics=offers, capacity=1)
    make_mentee(programme, user=user, topics=wants)
    return user


def test_peer_coaching_pairs_people_who_trade_skills():
    programme = make_programme(kind="peer", name="Skill swap")
    sql_for_python = peer(programme, ["sql"], ["python"])
    python_for_sql = peer(programme, ["python"], ["sql"])
    dbt_for_spark = peer(programme, ["dbt"], ["spark"])
    spark_for_dbt = peer(programme, ["spark"], ["dbt"])
    manager = manager_of(programme.community)
    proposals = run_matching(actor=manager, programme=programme)
    pairs = {frozenset({p.mentor.user_id, p.mentee.user_id}) for p in proposals}
    assert pairs == {
        frozenset({sql_for_python.pk, python_for_sql.pk}),
        frozenset({dbt_for_spark.pk, spark_for_dbt.pk}),
    }
    assert all(p.is_reciprocal for p in proposals)
    assert any(
        "offers: 1 shared topic: sql" in r for r in proposals[0].reasons + proposals[1].reasons
    )
    proposal = proposals[0]
    approve_proposal(actor=manager, pairing=proposal)
    # Both people's places are held: each mentors the other.
    users = {proposal.mentor.user_id, proposal.mentee.user_id}
    assert (
        set(MentorProfile.objects.filter(seats_taken=1).values_list("user_id", flat=True)) == users
    )
    respond(actor=proposal.mentor.user, pairing=proposal, accept=True)
    respond(actor=proposal.mentee.user, pairing=proposal, accept=True)
    assert (
        set(MenteeRequest.objects.filter(status="matched").values_list("user_id", flat=True))
        == users
    )


def test_a_mentee_chooses_from_a_ranked_list_with_reasons(client):
    programme = make_programme(matching_mode="mentee", name="Pick your mentor")
    close = make_mentor(programme, topics=["sql", "dbt"])
    make_mentor(programme, topics=["sql"])
    mentee = make_mentee(programme, topics=["sql", "dbt"])
    client.force_login(mentee.user)
    page = client.get(reverse("mentoring:mentor-choose", args=[programme.pk])).content.decode()
    assert page.index(close.user.public_name) < page.index("1 shared topic: sql")
    assert "2 shared topics: dbt, sql" in page
    response = client.post(reverse("mentoring:mentor-request", args=[programme.pk, close.pk]))
    pairing = Pairing.objects.get(mentee=mentee)
    assert response.url == reverse("mentoring:pairing-detail", args=[pairing.pk])
    assert pairing.status == PairingStatus.REQUESTED
    client.force_login(close.user)
    home = client.get(reverse("mentoring:home")).content.decode()
    assert "Waiting for your answer" in home
    response = client.post(
        reverse("mentoring:pairing-answer", args=[pairing.pk]), {"answer": "accept"}
    )
    assert response.status_code == 302
    assert Pairing.objects.get(pk=pairing.pk).status == PairingStatus.ACTIVE


def test_the_manager_runs_matching_and_approves_from_the_page(client):
    programme = make_programme()
    make_mentor(programme)
    mentee = make_mentee(programme)
    manager = manager_of(programme.community)
    client.force_login(manager)
    client.post(reverse("mentoring:programme-match", args=[programme.pk]))
    proposal = Pairing.objects.get(mentee=mentee)
    page = client.get(reverse("mentoring:proposal-list", args=[programme.pk])).content.decode()
    assert "1 shared topic: sql" in page
    client.post(reverse("mentoring:proposal-action", args=[programme.pk, proposal.pk, "approve"]))
    assert Pairing.objects.get(pk=proposal.pk).status == PairingStatus.OFFERED


def test_a_bad_profile_on_the_page_says_why_and_writes_nothing(client):
    programme = make_programme()
    member = add_member(programme.community)
    client.force_login(member)
    response = client.post(
        reverse("mentoring:mentor-profile", args=[programme.pk]),
        {
            "topics": "sql",
            "capacity": "12",
            "timezone": "UTC",
            "hours_from": "9",
            "hours_to": "17",
            "languages": "english",
        },
    )
    assert response.status_code == 400
    assert "less than or equal to 10" in response.content.decode()
    assert not MentorProfile.objects.exists()
