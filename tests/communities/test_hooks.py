"""Other apps hear about memberships through communities.hooks, after the change commits."""

import pytest

from communities import hooks
from communities.core.services.membership import (
    ban_member,
    join_open_community,
    leave_community,
    remove_member,
)
from tests.communities.factories import UserFactory, add_member, manager_of, new_community

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    events = []

    def on_joined(sender, membership, **kwargs):
        events.append(("joined", membership.user_id))

    def on_ended(sender, membership, reason, **kwargs):
        events.append((reason, membership.user_id))

    hooks.member_joined.connect(on_joined)
    hooks.membership_ended.connect(on_ended)
    yield events
    hooks.member_joined.disconnect(on_joined)
    hooks.membership_ended.disconnect(on_ended)


def test_joining_is_announced_only_after_commit(heard, django_capture_on_commit_callbacks):
    community = new_community()
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        join_open_community(user=user, community=community, agreed_to_guidelines=True)
    assert heard == []
    with django_capture_on_commit_callbacks(execute=True):
        leave_community(user=user, community=community)
    assert heard == [("left", user.pk)]


def test_removal_and_ban_are_announced_with_their_reason(heard, django_capture_on_commit_callbacks):
    community = new_community()
    removed, banned = add_member(community), add_member(community)
    manager = manager_of(community)
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        remove_member(actor=manager, community=community, member=removed, reason="Spam")
    with django_capture_on_commit_callbacks(execute=True):
        ban_member(actor=manager, community=community, member=banned, reason="Abuse")
    assert heard == [("removed", removed.pk), ("banned", banned.pk)]


def test_registries_keep_each_callable_once():
    def panel(request, obj):
        return ""

    hooks.register("test_panels", panel)
    hooks.register("test_panels", panel)
    assert hooks.registered("test_panels") == [panel]
