"""The gardener's dashboard shows answered threads not yet harvested, through the knowledge
app's registration on `communities.hooks.GARDENER_ACTIONS`, in constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities import hooks
from communities.health.selectors import gardener_actions
from communities.public import Visibility
from knowledge import panels
from knowledge.services import harvest_thread
from tests.communities.factories import add_member, make_thread, manager_of, new_community
from tests.knowledge.factories import solved_thread

pytestmark = pytest.mark.django_db

LABEL = "Answered threads not yet in the knowledge base"


def harvest_action(community):
    return next((a for a in gardener_actions(community) if a.label == LABEL), None)


def test_the_knowledge_app_registers_the_harvest_action():
    assert panels.harvest_action in hooks.registered(hooks.GARDENER_ACTIONS)


def test_answered_threads_not_yet_harvested_are_counted_and_linked():
    community = new_community(visibility=Visibility.OPEN)
    member = add_member(community)
    assert harvest_action(community) is None
    make_thread(author=member, community=community, title="Still open")  # no answer: not counted
    first = solved_thread(community, title="Solved and waiting")
    second = solved_thread(community, title="Solved and harvested")
    action = harvest_action(community)
    assert (action.verb, action.count) == ("harvest", 2)
    assert ("Solved and waiting", f"/c/{community.slug}/t/{first.pk}/") in action.items

    harvest_thread(second, by=manager_of(community))
    action = harvest_action(community)
    assert action.count == 1
    assert [title for title, _ in action.items] == ["Solved and waiting"]


def test_the_health_dashboard_shows_it_and_the_action_runs_constant_queries(client):
    community = new_community(visibility=Visibility.OPEN)
    client.force_login(manager_of(community))
    url = reverse("health:dashboard", args=[community.slug])

    def queries():
        # The dashboard's own actions step with the community's activity; ours must not.
        with CaptureQueriesContext(connection) as captured:
            (action,) = panels.harvest_action(community)
        return len(captured.captured_queries), action

    for _ in range(5):
        solved_thread(community)
    few, action = queries()
    assert action["count"] == 5
    assert LABEL in client.get(url).content.decode()
    for _ in range(45):
        solved_thread(community)
    many, action = queries()
    assert (action["count"], len(action["items"])) == (50, panels.HARVEST_ITEMS_SHOWN)
    assert few == many == 2
    page = client.get(url).content.decode()
    assert LABEL in page
    assert ">50<" in page.replace(" ", "") or "50" in page


def test_the_staff_overview_counts_threads_waiting_to_be_harvested_in_one_query():
    from communities.health.selectors import overview_rows
    from knowledge import selectors

    assert selectors.not_yet_harvested_counts in hooks.registered(hooks.GARDENER_ACTION_COUNTS)
    busy, quiet = new_community(visibility=Visibility.OPEN), new_community()
    solved_thread(busy)
    harvest_thread(solved_thread(busy), by=manager_of(busy))
    solved_thread(busy)
    with CaptureQueriesContext(connection) as captured:
        counts = selectors.not_yet_harvested_counts([busy.pk, quiet.pk])
    assert counts == {busy.pk: 2}
    assert len(captured.captured_queries) == 1
    rows = {row.community.pk: row for row in overview_rows([busy, quiet])}
    assert rows[busy.pk].registered >= 2
    assert rows[quiet.pk].registered == 0
