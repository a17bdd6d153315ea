"""Questions nobody answered reach a few members who could help, once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.digests import escalation, services
from communities.digests.models import EscalationDelivery, EscalationSettings
from communities.models import Thread, User
from tests.communities.digests.factories import circle_of, member_with_expertise
from tests.communities.factories import (
    UserFactory,
    add_member,
    make_reply,
    make_thread,
    manager_of,
    new_community,
)

pytestmark = pytest.mark.django_db


def hours_ago(thread, hours):
    Thread.objects.filter(pk=thread.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=hours)
    )


def recent_visit(*users):
    User.objects.filter(pk__in=[u.pk for u in users]).update(last_login=timezone.now())


@pytest.fixture
def community():
    return new_community()


@pytest.fixture
def escalate(django_capture_on_commit_callbacks):
    """The job as the beat runs it, emails sent after each question's transaction."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return escalation.escalate_unanswered_questions()

    return run


def experts(community, n, tag="facilitation"):
    people = [member_with_expertise(community, tag) for _ in range(n)]
    recent_visit(*people)
    return people


def test_a_question_waiting_four_hours_reaches_three_matching_members_once(
    community, mailoutbox, escalate
):
    matching = experts(community, 4)
    asker = member_with_expertise(community, "facilitation")
    recent_visit(asker)
    unrelated = experts(community, 2, tag="data")
    question = make_thread(author=asker, community=community, tag_names=["facilitation"])
    hours_ago(question, 5)
    assert escalate() == 1
    assert escalate() == 0  # never twice
    recipients = {m.to[0].split("<")[1].rstrip(">") for m in mailoutbox}
    assert len(mailoutbox) == 3
    assert recipients <= {m.email for m in matching}
    assert asker.email not in recipients
    assert not recipients & {m.email for m in unrelated}
    mail = mailoutbox[0]
    assert question.title in mail.subject
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/unsubscribe/" in mail.extra_headers["List-Unsubscribe"]


def test_not_before_the_communitys_delay_nor_once_answered(community, mailoutbox, escalate):
    experts(community, 2)
    EscalationSettings.objects.create(community=community, after_hours=6)
    waiting = make_thread(author=add_member(community), community=community, title="Waiting")
    hours_ago(waiting, 5)
    answered = make_thread(author=add_member(community), community=community, title="Answered")
    make_reply(author=add_member(community), thread=answered)
    hours_ago(answered, 7)
    assert escalate() == 0
    hours_ago(waiting, 7)
    assert escalate() == 1
    assert EscalationDelivery.objects.filter(thread=answered).count() == 0


def test_an_anonymous_askers_question_does_not_name_them_nor_reach_them(
    community, mailoutbox, escalate
):
    experts(community, 1)
    asker = member_with_expertise(community, "facilitation", display_name="Quiet Person")
    recent_visit(asker)
    question = make_thread(
        author=asker, community=community, tag_names=["facilitation"], is_anonymous=True
    )
    hours_ago(question, 5)
    escalate()
    assert len(mailoutbox) == 1
    assert "Quiet Person" not in mailoutbox[0].body
    assert mailoutbox[0].to[0].split("<")[1].rstrip(">") != asker.email


def test_a_circle_question_only_reaches_the_circle(community, mailoutbox, escalate):
    inside, _outside = experts(community, 2)
    asker = add_member(community)
    circle = circle_of(community, inside, asker, meeting_in_hours=None)
    question = make_thread(
        author=asker, community=community, tag_names=["facilitation"], circle=circle
    )
    hours_ago(question, 5)
    escalate()
    assert [m.to[0].split("<")[1].rstrip(">") for m in mailoutbox] == [inside.email]


def test_members_who_opted_out_or_were_not_seen_for_a_month_are_not_asked(
    community, mailoutbox, escalate
):
    opted_out, idle = experts(community, 2)
    services.update_email_settings(
        user=opted_out, frequency="weekly", weekday=0, emails={"escalation": False}
    )
    User.objects.filter(pk=idle.pk).update(last_login=timezone.now() - datetime.timedelta(days=40))
    question = make_thread(author=add_member(community), community=community)
    hours_ago(question, 5)
    escalate()
    assert mailoutbox == []


def test_after_a_day_the_question_is_on_the_managers_waiting_list(community):
    question = make_thread(author=add_member(community), community=community)
    assert list(escalation.waiting_questions(community=community, now=timezone.now())) == []
    hours_ago(question, 25)
    assert list(escalation.waiting_questions(community=community, now=timezone.now())) == [question]


def waiting_page_queries(client, community, manager, n):
    for i in range(n):
        question = make_thread(
            author=add_member(community), community=community, title=f"Waiting {i}"
        )
        hours_ago(question, 25 + i)
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/c/{community.slug}/waiting/")
    assert response.status_code == 200
    assert response.content.decode().count("Waiting ") >= n
    return len(queries)


def test_the_waiting_list_page_reads_the_same_queries_for_5_and_50_questions(client):
    small, large = new_community(), new_community()
    assert waiting_page_queries(client, small, manager_of(small), 5) == waiting_page_queries(
        client, large, manager_of(large), 50
    )


# Who may open a community's waiting list: (who, status)
WAITING_LIST_ACCESS = [
    ("staff", 200),
    ("manager", 200),
    ("moderator", 200),
    ("member", 404),
    ("outsider", 404),
    ("visitor", 302),
]


@pytest.mark.parametrize(("who", "status"), WAITING_LIST_ACCESS)
def test_only_moderators_and_managers_see_the_waiting_list(client, community, who, status):
    people = {
        "staff": UserFactory(is_staff=True),
        "manager": manager_of(community),
        "moderator": add_member(community, role="moderator"),
        "member": add_member(community),
        "outsider": UserFactory(),
        "visitor": None,
    }
    if people[who] is not None:
        client.force_login(people[who])
    assert client.get(f"/c/{community.slug}/waiting/").status_code == status


def test_the_gardeners_dashboard_hears_of_waiting_questions(community):
    from communities import hooks

    question = make_thread(author=add_member(community), community=community)
    hours_ago(question, 30)
    actions = [a for fn in hooks.registered(hooks.GARDENER_ACTIONS) for a in fn(community)]
    assert {
        "verb": "water",
        "label": "1 question waiting over a day",
        "count": 1,
    }.items() <= actions[0].items()
