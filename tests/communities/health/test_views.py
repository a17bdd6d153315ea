"""The dashboard, its CSV, proposal decisions and the staff overview: who may open them,
what they show and hide, and their query counts at two sizes."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from communities import hooks
from communities.health.models import ProposalStatus
from communities.health.services import propose_stages, take_snapshots
from communities.models import HealthSnapshot, LifecycleTransition, StageProposal
from communities.public import Role, Stage, Visibility
from tests.communities.factories import (
    UserFactory,
    add_member,
    make_reply,
    make_thread,
    manager_of,
    new_community,
)
from tests.communities.health.factories import backdate, circle_of, weekly_history

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "member", "moderator", "manager", "staff")


@dataclass
class Cast:
    community: object
    people: dict


def build_cast(visibility: str) -> Cast:
    community = new_community(visibility=visibility)
    people = {
        "anonymous": None,
        "outsider": UserFactory(),
        "member": add_member(community),
        "moderator": add_member(community, role=Role.MODERATOR),
        "manager": manager_of(community),
        "staff": UserFactory(is_staff=True),
    }
    return Cast(community, people)


def today() -> dt.date:
    return timezone.now().astimezone(dt.UTC).date()


def with_proposal(cast: Cast) -> str:
    HealthSnapshot.objects.filter(community=cast.community).delete()
    weekly_history(
        cast.community, 24, day=today(), active_members=lambda ago: 50 if ago >= 12 else 20
    )
    propose_stages(community_ids=[cast.community.pk], day=today())
    proposal = StageProposal.objects.get(community=cast.community)
    return reverse("health:proposal-confirm", args=[cast.community.slug, proposal.pk])


def dashboard(cast: Cast) -> str:
    return reverse("health:dashboard", args=[cast.community.slug])


def snapshots_csv(cast: Cast) -> str:
    return reverse("health:snapshots-csv", args=[cast.community.slug])


def overview(cast: Cast) -> str:
    return reverse("health:overview")


#             url            method  open                        private
#                                    anon out mem mod mgr staff  anon out mem mod mgr staff
MATRIX = [
    (dashboard, "get", "302 403 403 200 200 200", "404 404 403 200 200 200"),
    (snapshots_csv, "get", "302 403 403 200 200 200", "404 404 403 200 200 200"),
    (with_proposal, "post", "302 403 403 403 302 302", "404 404 403 403 302 302"),
    (overview, "get", "302 403 403 403 403 200", "302 403 403 403 403 200"),
]


@pytest.mark.parametrize("visibility", [Visibility.OPEN, Visibility.PRIVATE])
@pytest.mark.parametrize(("url", "method", "open_codes", "private_codes"), MATRIX)
def test_access_matrix(client, visibility, url, method, open_codes, private_codes):
    cast = build_cast(visibility)
    codes = open_codes if visibility == Visibility.OPEN else private_codes
    expected = dict(zip(ROLES, map(int, codes.split()), strict=True))
    address = url(cast)
    for role in ROLES:
        client.logout()
        if cast.people[role] is not None:
            client.force_login(cast.people[role])
        response = getattr(client, method)(address)
        assert response.status_code == expected[role], (role, url.__name__, visibility)
        if role == "anonymous" and expected[role] == 302:
            assert "/accounts/login/" in response["Location"]


@pytest.fixture
def story():
    cast = build_cast(Visibility.OPEN)
    community = cast.community
    asker, helper = add_member(community), add_member(community)
    question = make_thread(author=asker, community=community, title="Where do I start?")
    make_reply(author=helper, thread=question)
    anonymous = make_thread(
        author=asker, community=community, title="A delicate question", is_anonymous=True
    )
    make_reply(author=helper, thread=anonymous)
    waiting = make_thread(author=asker, community=community, title="Still waiting here")
    backdate(waiting, timezone.now() - dt.timedelta(hours=6))
    circle = circle_of(community, asker, helper)
    secret = make_thread(
        author=asker, community=community, circle=circle, title="Circle-only secret plans"
    )
    backdate(secret, timezone.now() - dt.timedelta(hours=6))
    take_snapshots(community_ids=[community.pk], day=today())
    cast.people.update(asker=asker, helper=helper)
    return cast


def test_manager_sees_charts_actions_names_and_no_circle_title(client, story):
    client.force_login(story.people["manager"])
    page = client.get(dashboard(story)).content.decode()
    assert 'data-health-chart="members"' in page
    assert "vendor/chartjs/chart.umd.min.js" in page
    assert 'id="health-data"' in page
    assert "Questions waiting over 4 hours" in page
    assert "Still waiting here" in page
    assert "1 more in circles" in page
    assert "Circle-only secret plans" not in page
    assert story.people["helper"].public_name in page  # a connector of the help network
    assert "Anonymous askers" in page
    assert "<script>" not in page.replace('<script id="health-data"', "")


def test_moderator_sees_the_numbers_without_names(client, story):
    client.force_login(story.people["moderator"])
    page = client.get(dashboard(story)).content.decode()
    assert "Questions waiting over 4 hours" in page
    network = page[page.index('id="network-title"') :]
    assert story.people["helper"].public_name not in network
    assert "Only managers see members' names." in page


def test_csv_has_a_row_per_snapshot(client, story):
    client.force_login(story.people["manager"])
    response = client.get(snapshots_csv(story))
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0].startswith("community,taken_on,age_days,members")
    assert len(lines) == 2
    assert "Circle-only" not in body


def test_confirming_from_the_dashboard(client, story):
    address = with_proposal(story)
    client.force_login(story.people["manager"])
    page = client.get(dashboard(story)).content.decode()
    assert "Proposed: Transformation." in page
    response = client.post(address, follow=True)
    assert "now in the Transformation stage" in response.content.decode()
    story.community.refresh_from_db()
    assert story.community.stage == Stage.TRANSFORMATION
    assert LifecycleTransition.objects.filter(community=story.community).exists()
    again = client.post(address, follow=True)
    assert "already confirmed" in again.content.decode()


def test_dismissing_from_the_dashboard(client, story):
    with_proposal(story)
    proposal = StageProposal.objects.get()
    client.force_login(story.people["manager"])
    client.post(reverse("health:proposal-dismiss", args=[story.community.slug, proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISMISSED
    story.community.refresh_from_db()
    assert story.community.stage == Stage.POTENTIAL


def grow(community, rows: int):
    for n in range(rows):
        HealthSnapshot.objects.update_or_create(
            community=community, taken_on=today() - dt.timedelta(days=n), defaults={"members": n}
        )
    asker, helper = add_member(community), add_member(community)
    for n in range(rows // 5):
        thread = make_thread(author=asker, community=community, title=f"Question {n}")
        make_reply(author=helper, thread=thread)
        waiting = make_thread(author=asker, community=community, title=f"Waiting {n}")
        backdate(waiting, timezone.now() - dt.timedelta(hours=5))


@pytest.mark.parametrize("rows", [5, 50])
def test_dashboard_queries_do_not_grow(client, django_assert_num_queries, rows):
    cast = build_cast(Visibility.OPEN)
    grow(cast.community, rows)
    client.force_login(cast.people["manager"])
    client.get(dashboard(cast))  # warm the session and permission caches
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(dashboard(cast))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_overview_queries_do_not_grow(client, django_assert_num_queries, rows):
    staff = UserFactory(is_staff=True)
    for _ in range(rows):
        community = new_community()
        HealthSnapshot.objects.create(community=community, taken_on=today(), members=3)
    client.force_login(staff)
    # Plus one per counter other packages register (knowledge's threads to harvest).
    counters = len(hooks.registered(hooks.GARDENER_ACTION_COUNTS))
    with django_assert_num_queries(OVERVIEW_QUERIES + counters):
        response = client.get(reverse("health:overview"))
    assert response.content.decode().count("No snapshot yet") == 0


# User, community, permissions, history, proposal, network (2), the actions' counts and lists,
# the nav's permission checks: the same for 5 rows or 50 (the session comes from the cache).
DASHBOARD_QUERIES = 23  # with the actions other packages register: digests (questions waiting),
# knowledge (answered threads to harvest)
# User, page count and rows, and five reads for all the rows at once (the session comes from
# the cache).
OVERVIEW_QUERIES = 9


def test_overview_shows_stage_trends_and_actions_waiting(client, story):
    day = today()
    HealthSnapshot.objects.filter(community=story.community).update(members=20)
    HealthSnapshot.objects.create(
        community=story.community, taken_on=day - dt.timedelta(weeks=4), members=10
    )
    client.force_login(story.people["staff"])
    page = client.get(reverse("health:overview")).content.decode()
    assert story.community.name in page
    assert "↑ up" in page
    # One question has waited over 4 hours outside circles, one inside: both wait.
    row = page[page.index(story.community.name) :]
    assert "<td>2</td>" in row


@pytest.mark.parametrize(("role", "sees"), [("member", False), ("moderator", True)])
def test_community_page_links_moderators_to_the_dashboard(client, role, sees):
    cast = build_cast(Visibility.OPEN)
    client.force_login(cast.people[role])
    page = client.get(reverse("communities:community-detail", args=[cast.community.slug]))
    assert ("Open the health dashboard" in page.content.decode()) is sees


def test_registered_gardener_actions_show_on_the_dashboard_and_the_staff_page(
    client, story, monkeypatch
):
    """What another package registers (knowledge's "harvest") is a next action on the
    dashboard and counts among the actions waiting on the staff page."""
    monkeypatch.setattr(hooks, "_registry", {k: list(v) for k, v in hooks._registry.items()})
    thread_url = reverse("communities:thread-detail", args=[story.community.slug, 1])

    def not_yet_harvested(community):
        return [
            {
                "verb": "harvest",
                "label": "Answered threads not yet in the knowledge base",
                "count": 3,
                "url": "/kb/harvest/",
                "items": [("Where do I start?", thread_url)],
            }
        ]

    def titled_the_other_way(community):
        return [{"title": "2 questions waiting over a day", "count": 2, "url": "/waiting/"}]

    hooks.register(hooks.GARDENER_ACTIONS, not_yet_harvested)
    hooks.register(hooks.GARDENER_ACTIONS, titled_the_other_way)
    hooks.register(hooks.GARDENER_ACTION_COUNTS, lambda ids: dict.fromkeys(ids, 3))

    client.force_login(story.people["manager"])
    page = client.get(dashboard(story)).content.decode()
    actions = page[page.index('id="actions-title"') : page.index('id="trends-title"')]
    assert "health-action--harvest" in actions
    assert '<a href="/kb/harvest/">Answered threads not yet in the knowledge base</a>' in actions
    assert f'<a href="{thread_url}">Where do I start?</a>' in actions
    assert '<a href="/waiting/">2 questions waiting over a day</a>' in actions

    client.force_login(story.people["staff"])
    row = client.get(reverse("health:overview")).content.decode()
    row = row[row.index(story.community.name) :]
    # Two questions waiting over 4 hours and three threads to harvest.
    assert "<td>5</td>" in row


def test_chaoss_metrics_are_named_charted_and_tabled(client, story):
    client.force_login(story.people["manager"])
    page = client.get(dashboard(story)).content.decode()
    assert 'data-health-chart="turnover"' in page
    definitions = page[page.index("data-chaoss-definitions") :]
    for name in ("New Contributors", "Inactive Contributors", "Burstiness", "CHAOSS"):
        assert name in definitions
    assert '<th scope="col">New contributors</th>' in page
    assert '<th scope="col">Burstiness</th>' in page
    assert '"newContributors": [' in page
    # Every chart has its numbers in a table beside it.
    trends = page[page.index('id="trends-title"') : page.index('id="network-title"')]
    assert trends.count("<canvas") == trends.count("<table") == 5
    assert "Time to First Response" in page


def test_confirming_on_the_stage_page(client, story):
    address = with_proposal(story)
    stage_page = reverse("communities:community-stage", args=[story.community.slug])
    client.force_login(story.people["manager"])
    page = client.get(stage_page).content.decode()
    assert "Proposed: Transformation." in page
    assert 'name="back" value="stage"' in page
    response = client.post(address, {"back": "stage"}, follow=True)
    assert response.redirect_chain[-1][0] == stage_page
    page = response.content.decode()
    assert "now in the Transformation stage" in page
    # The history on the same page keeps the engine's reason.
    assert "Proposed by the health dashboard and confirmed: Active members fell" in page
    assert "Proposed: Transformation." not in page


def test_dismissing_on_the_stage_page(client, story):
    with_proposal(story)
    proposal = StageProposal.objects.get()
    stage_page = reverse("communities:community-stage", args=[story.community.slug])
    client.force_login(story.people["manager"])
    dismiss = reverse("health:proposal-dismiss", args=[story.community.slug, proposal.pk])
    response = client.post(dismiss, {"back": "stage"})
    assert response["Location"] == stage_page
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISMISSED
    assert "Proposed: Transformation." not in client.get(stage_page).content.decode()


def test_an_anonymous_asker_is_never_named_in_the_network(client):
    cast = build_cast(Visibility.OPEN)
    community = cast.community
    shy, helper = add_member(community), add_member(community)
    secret = make_thread(author=shy, community=community, title="A delicate one", is_anonymous=True)
    make_reply(author=helper, thread=secret)
    take_snapshots(community_ids=[community.pk], day=today())
    client.force_login(cast.people["manager"])
    page = client.get(dashboard(cast)).content.decode()
    network = page[page.index('id="network-title"') :]
    assert "Anonymous askers" in network
    assert helper.public_name in network
    assert shy.public_name not in network
    assert shy.username not in network
