"""“New since your last visit” on thread lists, and “mark all read” per community."""

import pytest

from tests.communities.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db

NEW = 'class="new-badge"'


def _list(client, cast) -> str:
    response = client.get(f"/c/{cast.community.slug}/t/")
    assert response.status_code == 200
    return response.content.decode()


def _row(html: str, thread) -> str:
    start = html.index(f'id="thread-{thread.pk}"')
    return html[start : html.index("</li>", start)]


def test_a_thread_is_new_until_the_member_reads_it_and_again_when_it_moves(client, cast):
    thread = make_thread(author=cast.other_member, community=cast.community)
    client.force_login(cast.member)
    assert NEW in _row(_list(client, cast), thread)
    client.get(f"/c/{cast.community.slug}/t/{thread.pk}/")
    assert NEW not in _row(_list(client, cast), thread)
    make_reply(author=cast.champion, thread=thread)
    assert NEW in _row(_list(client, cast), thread)


def test_mark_all_read_clears_the_community_until_new_activity(client, cast, open_cast):
    first = make_thread(author=cast.other_member, community=cast.community, title="First")
    second = make_thread(author=cast.other_member, community=cast.community, title="Second")
    elsewhere = make_thread(author=open_cast.member, community=open_cast.community)
    from tests.communities.factories import add_member

    add_member(open_cast.community, cast.member)
    make_reply(author=open_cast.other_member, thread=elsewhere)
    client.force_login(cast.member)
    response = client.post(
        f"/c/{cast.community.slug}/t/read/", {"next": f"/c/{cast.community.slug}/t/"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/c/{cast.community.slug}/t/"
    html = _list(client, cast)
    assert NEW not in _row(html, first)
    assert NEW not in _row(html, second)
    # Only that community: the other one still has news.
    other = client.get(f"/c/{open_cast.community.slug}/t/").content.decode()
    assert NEW in _row(other, elsewhere)
    make_reply(author=cast.champion, thread=second)
    html = _list(client, cast)
    assert NEW in _row(html, second)
    assert NEW not in _row(html, first)


def test_mark_all_read_needs_a_signed_in_post_and_a_community_one_may_read(
    client, cast, private_cast
):
    assert client.post(f"/c/{cast.community.slug}/t/read/").status_code == 302  # to sign in
    client.force_login(cast.member)
    assert client.get(f"/c/{cast.community.slug}/t/read/").status_code == 405
    assert client.post(f"/c/{private_cast.community.slug}/t/read/").status_code == 404
    # A foreign `next` is not followed.
    response = client.post(f"/c/{cast.community.slug}/t/read/", {"next": "https://evil.test/"})
    assert response["Location"] == f"/c/{cast.community.slug}/t/"


@pytest.mark.parametrize("who", ["anonymous", "outsider", "staff"])
def test_visitors_who_are_not_members_see_nothing_marked_new(client, cast, who):
    thread = make_thread(author=cast.other_member, community=cast.community)
    if cast[who] is not None:
        client.force_login(cast[who])
    assert NEW not in _row(_list(client, cast), thread)


def test_the_home_offers_mark_all_read_for_a_community_with_news(client, cast):
    make_thread(author=cast.other_member, community=cast.community)
    client.force_login(cast.member)
    home = client.get("/").content.decode()
    assert f'action="/c/{cast.community.slug}/t/read/"' in home
    client.post(f"/c/{cast.community.slug}/t/read/", {"next": "/"})
    home = client.get("/").content.decode()
    assert f'action="/c/{cast.community.slug}/t/read/"' not in home
