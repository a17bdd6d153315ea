"""Lists keep a constant number of SQL queries: the same with 5 rows as with 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.services import approve_proposal, log_session, respond, run_matching
from tests.communities.factories import manager_of
from tests.mentoring.factories import active_pair, make_mentee, make_mentor, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def same_at_5_and_50(client, url, add, django_assert_num_queries):
    add(5)
    at_5 = count(client, url)
    add(45)
    with django_assert_num_queries(at_5):
        assert client.get(url).status_code == 200
    return at_5


def test_mentor_directory(client, django_assert_num_queries):
    programme = make_programme()

    def add(n):
        for k in range(n):
            make_mentor(programme, topics=["sql", f"topic-{k}"])

    client.force_login(manager_of(programme.community))
    url = reverse("mentoring:mentor-list", args=[programme.pk])
    same_at_5_and_50(client, url, add, django_assert_num_queries)
    assert count(client, reverse("mentoring:programme-detail", args=[programme.pk])) < 20


def test_proposals(client, django_assert_num_queries):
    programme = make_programme()
    manager = manager_of(programme.community)

    def add(n):
        for _ in range(n):
            make_mentor(programme, capacity=1)
            make_mentee(programme)
        run_matching(actor=manager, programme=programme)

    client.force_login(manager)
    url = reverse("mentoring:proposal-list", args=[programme.pk])
    same_at_5_and_50(client, url, add, django_assert_num_queries)


def test_programme_page_for_managers(client, django_assert_num_queries):
    programme = make_programme()
    manager = manager_of(programme.community)

    def add(n):
        pairs = [(make_mentor(programme, capacity=1), make_mentee(programme)) for _ in range(n)]
        make_mentee(programme, topics=["cobol"])  # waits: no mentor for it
        for proposal in run_matching(actor=manager, programme=programme):
            approve_proposal(actor=manager, pairing=proposal)
            respond(actor=proposal.mentor.user, pairing=proposal, accept=True)
            respond(actor=proposal.mentee.user, pairing=proposal, accept=True)
        assert pairs

    client.force_login(manager)
    url = reverse("mentoring:programme-manage", args=[programme.pk])
    same_at_5_and_50(client, url, add, django_assert_num_queries)


def test_relationship_page_with_many_sessions(client, django_assert_num_queries):
    pairing = active_pair()
    mentee = pairing.mentee.user

    def add(n):
        for k in range(n):
            log_session(
                actor=mentee if k % 2 else pairing.mentor.user,
                pairing=pairing,
                held_on=timezone.localdate(),
                minutes=30,
                notes=f"Session {k}",
                action_items="Next step.",
            )

    client.force_login(mentee)
    url = reverse("mentoring:pairing-detail", args=[pairing.pk])
    same_at_5_and_50(client, url, add, django_assert_num_queries)


def test_my_mentoring(client, django_assert_num_queries):
    programme = make_programme(matching_mode="mentee")
    mentor = make_mentor(programme, capacity=10)
    from mentoring.services import request_mentor

    def add(n):
        for _ in range(n):
            other = make_programme(programme.community, matching_mode="mentee")
            other_mentor = make_mentor(other, user=mentor.user, capacity=1)
            mentee = make_mentee(other)
            request_mentor(actor=mentee.user, programme=other, mentor=other_mentor)

    client.force_login(mentor.user)
    same_at_5_and_50(client, reverse("mentoring:home"), add, django_assert_num_queries)


def test_a_matching_run_reads_and_writes_in_a_fixed_number_of_queries():
    def run_with(n):
        programme = make_programme()
        manager = manager_of(programme.community)
        for k in range(n):
            make_mentor(programme, topics=["sql", f"t{k}"], capacity=1)
            make_mentee(programme, topics=["sql"])
        with CaptureQueriesContext(connection) as captured:
            proposals = run_matching(actor=manager, programme=programme)
        assert len(proposals) == n
        # A second run replaces the unreviewed proposals, in a fixed number of queries too.
        with CaptureQueriesContext(connection) as again:
            run_matching(actor=manager, programme=programme)
        return len(captured), len(again)

    assert run_with(3) == run_with(12)
