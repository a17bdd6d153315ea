"""Moderation pages don't open a window into circles: a moderator outside a circle reaches
its threads only once someone flagged them."""

import pytest

from communities.models import Thread
from communities.moderation.services.flags import flag_content
from tests.communities.factories import Cast, make_circle_of, make_thread

pytestmark = pytest.mark.django_db

SECRET = "Our confidential circle plans"


@pytest.fixture
def story(settings):
    cast = Cast()
    circle = make_circle_of(cast.community, cast.member, cast.other_member)
    thread = make_thread(
        author=cast.member,
        community=cast.community,
        circle=circle,
        kind="discussion",
        title=SECRET,
        body="Stays in the circle.",
    )
    return cast, thread


def test_moderator_outside_the_circle_cannot_open_an_unflagged_circle_thread(story, client):
    cast, thread = story
    client.force_login(cast.moderator)
    url = f"/c/{cast.community.slug}/moderation/t/{thread.pk}/"
    response = client.get(url)
    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    act = client.post(
        f"/c/{cast.community.slug}/moderation/act/",
        {"thread": thread.pk, "action": "lock", "reason": "Because I can"},
    )
    assert act.status_code == 404
    assert not Thread.objects.get(pk=thread.pk).is_locked


def test_a_flag_brings_the_circle_thread_to_the_moderators(story, client):
    cast, thread = story
    flag_content(flagger=cast.other_member, thread=thread, reason="spam")
    client.force_login(cast.moderator)
    response = client.get(f"/c/{cast.community.slug}/moderation/t/{thread.pk}/")
    assert response.status_code == 200
    assert SECRET in response.content.decode()
