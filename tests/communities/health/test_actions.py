"""The gardener's next actions: what each one counts and where it links."""

import datetime as dt

import pytest
from django.utils import timezone

from communities import hooks
from communities.health.selectors import gardener_actions
from communities.models import Flag, Membership, Post, Thread
from tests.communities.factories import add_member, make_reply, make_thread, new_community
from tests.communities.health.factories import backdate

pytestmark = pytest.mark.django_db


def by_label(actions, words):
    return next(action for action in actions if words in action.label)


def test_plant_when_no_thread_for_a_week():
    community = new_community()
    actions = gardener_actions(community)
    assert by_label(actions, "No new thread for a week").url.endswith("/prompts/")
    make_thread(author=add_member(community), community=community)
    assert not [a for a in gardener_actions(community) if a.verb == "plant"]


def test_water_questions_waiting_over_four_hours():
    community = new_community()
    asker, helper = add_member(community), add_member(community)
    waiting = make_thread(author=asker, community=community, title="Waiting five hours")
    backdate(waiting, timezone.now() - dt.timedelta(hours=5))
    fresh = make_thread(author=asker, community=community, title="Asked just now")
    answered = make_thread(author=asker, community=community, title="Answered one")
    backdate(answered, timezone.now() - dt.timedelta(hours=5))
    make_reply(author=helper, thread=answered)
    own = make_thread(author=asker, community=community, title="Only the asker replied")
    backdate(own, timezone.now() - dt.timedelta(hours=5))
    make_reply(author=asker, thread=own)
    action = by_label(gardener_actions(community), "Questions waiting")
    assert action.count == 2
    titles = [text for text, _ in action.items]
    assert titles == ["Waiting five hours", "Only the asker replied"]
    assert action.items[0][1] == f"/c/{community.slug}/t/{waiting.pk}/"
    assert fresh.title not in titles


def test_water_newcomers_and_drifting_members():
    community = new_community()
    newcomer = add_member(community)
    drifter = add_member(community)
    Membership.objects.filter(user=drifter).update(joined_at=timezone.now() - dt.timedelta(days=90))
    old = make_thread(author=drifter, community=community, title="Back in the summer")
    backdate(old, timezone.now() - dt.timedelta(weeks=6))
    make_reply(author=drifter, thread=old)
    Post.objects.filter(author=drifter).update(created_at=timezone.now() - dt.timedelta(weeks=6))
    actions = gardener_actions(community)
    newcomers = by_label(actions, "Newcomers")
    assert newcomer.public_name in [text for text, _ in newcomers.items]
    assert drifter.public_name not in [text for text, _ in newcomers.items]
    drifting = by_label(actions, "drifting")
    assert [text for text, _ in drifting.items] == [drifter.public_name]


def test_an_answer_to_an_anonymous_question_does_not_take_its_asker_off_the_list():
    community = new_community()
    welcomed, anonymous = add_member(community), add_member(community)
    helper = add_member(community)
    make_reply(author=helper, thread=make_thread(author=welcomed, community=community))
    secret = make_thread(author=anonymous, community=community, is_anonymous=True)
    make_reply(author=helper, thread=secret)
    names = [text for text, _ in by_label(gardener_actions(community), "Newcomers").items]
    assert welcomed.public_name not in names
    assert anonymous.public_name in names


def test_a_member_who_only_started_threads_before_is_drifting_too():
    community = new_community()
    asker = add_member(community)
    Membership.objects.filter(user=asker).update(joined_at=timezone.now() - dt.timedelta(days=90))
    backdate(make_thread(author=asker, community=community), timezone.now() - dt.timedelta(weeks=6))
    drifting = by_label(gardener_actions(community), "drifting")
    assert [text for text, _ in drifting.items] == [asker.public_name]


def test_weed_open_flags_and_hidden_content():
    community = new_community()
    member = add_member(community)
    thread = make_thread(author=member, community=community)
    Flag.objects.create(community=community, thread=thread, flagger=member, reason="spam")
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    actions = gardener_actions(community)
    assert by_label(actions, "Flags waiting").count == 1
    assert by_label(actions, "Hidden threads").url.endswith("/moderation/")


def test_harvest_shows_whatever_is_registered(monkeypatch):
    community = new_community()
    monkeypatch.setattr(hooks, "_registry", {k: list(v) for k, v in hooks._registry.items()})

    def not_yet_harvested(community):
        return [{"verb": "harvest", "label": "Answered threads not yet in the knowledge base",
                 "count": 3, "url": "/kb/harvest/"}]  # fmt: skip

    hooks.register(hooks.GARDENER_ACTIONS, not_yet_harvested)
    action = by_label(gardener_actions(community), "knowledge base")
    assert (action.verb, action.count, action.url) == ("harvest", 3, "/kb/harvest/")
