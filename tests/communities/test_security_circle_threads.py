"""Circle threads reach only the circle's members who are still active in the community:
someone banned from (or who left) an open community keeps no window into its circles."""

import pytest

from communities.core.services.membership import ban_member, leave_community
from communities.discussions.selectors.notifications import readers_of
from communities.discussions.selectors.threads import search_threads, visible_threads
from communities.models import Notification, User
from tests.communities.factories import Cast, make_circle_of, make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(settings):
    cast = Cast()
    circle = make_circle_of(cast.community, cast.member, cast.other_member, cast.manager)
    thread = make_thread(
        author=cast.member,
        community=cast.community,
        circle=circle,
        kind="discussion",
        title="Circle only: our quarterly confidences",
        body="What we say in the circle stays in the circle.",
    )
    return cast, circle, thread


def _ban(cast, who):
    ban_member(actor=cast.manager, community=cast.community, member=who, reason="Harassment.")


@pytest.mark.parametrize("how", ["banned", "left"])
def test_circle_thread_is_gone_for_someone_no_longer_in_the_community(story, client, how):
    cast, _circle, thread = story
    if how == "banned":
        _ban(cast, cast.other_member)
    else:
        leave_community(user=cast.other_member, community=cast.community)
    person = User.objects.get(pk=cast.other_member.pk)

    assert not visible_threads(person).filter(pk=thread.pk).exists()
    assert thread.pk not in [t.pk for t in search_threads(viewer=person, query="confidences")]
    client.force_login(person)
    slug = cast.community.slug
    assert client.get(f"/c/{slug}/t/{thread.pk}/").status_code == 404
    assert "quarterly confidences" not in client.get(f"/c/{slug}/t/").content.decode()
    assert "quarterly confidences" not in client.get("/search/?q=confidences").content.decode()


def test_banned_circle_member_hears_nothing_more_from_the_circle(story):
    cast, _circle, thread = story
    _ban(cast, cast.other_member)
    assert not readers_of(thread, User.objects.filter(pk=cast.other_member.pk)).exists()

    make_reply(author=cast.manager, thread=thread, body=f"Next: @{cast.other_member.username}")
    assert not Notification.objects.filter(recipient=cast.other_member).exists()


def test_circle_members_still_active_keep_reading(story):
    cast, _circle, thread = story
    _ban(cast, cast.other_member)
    assert visible_threads(cast.member).filter(pk=thread.pk).exists()
    assert readers_of(thread, User.objects.filter(pk=cast.manager.pk)).exists()
