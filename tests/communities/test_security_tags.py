"""Tag suggestions never reveal what is discussed inside a private community or a circle."""

import pytest

from communities.core.models.communities import Visibility
from communities.core.services.profiles import tags_from_names
from communities.discussions.services.follows import set_tag_follow
from tests.communities.factories import (
    Cast,
    CommunityFactory,
    UserFactory,
    make_circle_of,
    make_member,
    make_thread,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(settings):
    cast = Cast()
    hidden = CommunityFactory(visibility=Visibility.PRIVATE)
    insider = make_member(hidden)
    make_thread(
        author=insider, community=hidden, title="Layoff rumours", tag_names=["layoffs-acme"]
    )
    hidden.tags.set(tags_from_names(["merger-secret"]))
    circle = make_circle_of(cast.community, cast.member)
    make_thread(
        author=cast.member,
        community=cast.community,
        circle=circle,
        kind="discussion",
        title="Circle confidences",
        tag_names=["lawsuit-pending"],
    )
    make_thread(author=cast.member, community=cast.community, tag_names=["facilitation"])
    # Following a tag creates it, but nobody else learns of it from that.
    set_tag_follow(user=cast.other_member, tag_name="leak-via-follow", follow=True)
    cast.hidden, cast.insider = hidden, insider
    return cast


def _suggested(client, user, prefix):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(f"/tags/suggest/?q={prefix}").json()["tags"]


@pytest.mark.parametrize("who", ["anonymous", "outsider", "other_member"])
@pytest.mark.parametrize("prefix", ["layoffs", "merger", "lawsuit", "leak"])
def test_hidden_tags_are_not_suggested(client, story, who, prefix):
    user = None if who == "anonymous" else getattr(story, who)
    assert _suggested(client, user, prefix) == []


def test_people_who_can_see_a_tag_get_it_suggested(client, story):
    assert _suggested(client, story.insider, "layoffs") == ["layoffs-acme"]
    assert _suggested(client, story.insider, "merger") == ["merger-secret"]
    assert _suggested(client, story.member, "lawsuit") == ["lawsuit-pending"]
    assert _suggested(client, story.staff, "la") == ["lawsuit-pending", "layoffs-acme"]
    assert _suggested(client, None, "fac") == ["facilitation"]


def test_expertise_on_public_profiles_is_suggested(client, story):
    person = UserFactory()
    person.expertise.set(tags_from_names(["mentoring"]))
    assert _suggested(client, story.outsider, "ment") == ["mentoring"]


def _suggestion_queries(client, user) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    client.get("/tags/suggest/?q=topic")  # warm the session and the user
    with CaptureQueriesContext(connection) as queries:
        names = client.get("/tags/suggest/?q=topic").json()["tags"]
    return len(queries), len(names)


def test_suggestions_keep_their_query_count_as_tags_grow(client, settings):
    cast = Cast()

    def add_tags(start, stop):
        for i in range(start, stop):
            make_thread(author=cast.manager, community=cast.community, tag_names=[f"topic-{i:02d}"])

    add_tags(0, 5)
    at_five, shown = _suggestion_queries(client, cast.member)
    assert shown == 5
    add_tags(5, 50)
    at_fifty, shown = _suggestion_queries(client, cast.member)
    assert shown == 10
    assert at_five == at_fifty
