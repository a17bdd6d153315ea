import pytest

from communities.core.models.communities import Visibility
from communities.discussions.selectors.threads import search_threads
from communities.discussions.services.posts import edit_post
from communities.discussions.services.threads import edit_thread
from tests.communities.factories import (
    CommunityFactory,
    make_circle_of,
    make_member,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db


def _found(viewer, query, **kwargs):
    return {thread.title for thread in search_threads(viewer=viewer, query=query, **kwargs)}


def test_titles_bodies_and_replies_are_searched_and_kept_current(cast):
    thread = make_thread(
        author=cast.member, community=cast.community, title="Onboarding volunteers",
        body="How do you welcome people?",
    )  # fmt: skip
    assert _found(cast.outsider, "onboarding") == {"Onboarding volunteers"}
    assert _found(cast.outsider, "welcome") == {"Onboarding volunteers"}
    reply = make_reply(author=cast.other_member, thread=thread, body="A buddy system works")
    assert _found(cast.outsider, "buddy") == {"Onboarding volunteers"}
    edit_post(actor=cast.other_member, post=reply, body="A mentor pairing works")
    assert _found(cast.outsider, "buddy") == set()
    assert _found(cast.outsider, "pairing") == {"Onboarding volunteers"}
    edit_thread(actor=cast.member, thread=thread, title="Welcoming", body="Hi", tag_names=[])
    assert _found(cast.outsider, "onboarding") == set()


def test_search_never_reaches_threads_the_viewer_cannot_read(cast):
    private = CommunityFactory(visibility=Visibility.PRIVATE)
    insider = make_member(private)
    make_thread(author=insider, community=private, title="Secret gardening plans")
    circle = make_circle_of(cast.community, cast.member)
    make_thread(
        author=cast.member, community=cast.community, circle=circle, title="Circle gardening notes"
    )
    make_thread(author=cast.member, community=cast.community, title="Open gardening tips")
    assert _found(cast.outsider, "gardening") == {"Open gardening tips"}
    assert _found(cast.other_member, "gardening") == {"Open gardening tips"}
    assert _found(cast.member, "gardening") == {"Open gardening tips", "Circle gardening notes"}
    assert _found(insider, "gardening") == {"Open gardening tips", "Secret gardening plans"}
    assert len(_found(cast.staff, "gardening")) == 3
    assert _found(insider, "gardening", community=private) == {"Secret gardening plans"}


def test_the_search_pages_per_community_and_across(client, cast):
    other = CommunityFactory()
    make_thread(author=cast.member, community=cast.community, title="Compost questions")
    make_thread(author=make_member(other), community=other, title="Compost answers")
    page = client.get("/search/?q=compost").content.decode()
    assert "Compost questions" in page
    assert "Compost answers" in page
    page = client.get(f"/search/?q=compost&c={cast.community.slug}").content.decode()
    assert "Compost questions" in page
    assert "Compost answers" not in page
    assert "Nothing matches" in client.get("/search/?q=zzzz").content.decode()
    private = CommunityFactory(visibility=Visibility.PRIVATE)
    assert client.get(f"/search/?q=compost&c={private.slug}").status_code == 404


@pytest.mark.postgres
def test_postgres_full_text_search_stems_words_and_ranks_titles_first(cast):
    from wagtail.search.backends import get_search_backend

    assert type(get_search_backend()).__name__ == "PostgresSearchBackend"
    make_thread(
        author=cast.member, community=cast.community, title="Notes from the meetup",
        body="We talked about facilitation for a while.",
    )  # fmt: skip
    make_thread(
        author=cast.member, community=cast.community, title="Facilitation for beginners",
        body="Where do I start?",
    )  # fmt: skip
    results = [t.title for t in search_threads(viewer=cast.outsider, query="facilitating")]
    assert results == ["Facilitation for beginners", "Notes from the meetup"]
