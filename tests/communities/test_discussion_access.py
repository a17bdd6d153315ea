"""Who reaches which thread: private communities, circles, hidden threads, bans."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from communities.core.models.communities import MembershipStatus, Visibility
from communities.discussions.selectors.threads import recent_threads_for_community, visible_threads
from communities.discussions.services.votes import vote
from communities.models import Membership, Thread
from tests.communities.factories import (
    Cast,
    UserFactory,
    make_circle_of,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.RESTRICTED])
def test_members_only_threads_are_404_for_non_members(client, visibility):
    cast = Cast(visibility)
    thread = make_thread(author=cast.member, community=cast.community)
    urls = [
        f"/c/{cast.community.slug}/t/",
        f"/c/{cast.community.slug}/t/{thread.pk}/",
        f"/c/{cast.community.slug}/t/new/",
    ]
    for viewer in (cast.outsider, None):
        if viewer:
            client.force_login(viewer)
        else:
            client.logout()
        for url in urls:
            status = client.get(url).status_code
            assert status in (404, 302), url  # anonymous visitors are sent to sign in on /new/
            if viewer:
                assert status == 404
    assert not visible_threads(cast.outsider).exists()
    assert not visible_threads(AnonymousUser()).exists()
    client.force_login(cast.other_member)
    assert client.get(urls[1]).status_code == 200


def test_banned_members_are_outsiders(client):
    cast = Cast(Visibility.PRIVATE)
    thread = make_thread(author=cast.member, community=cast.community)
    Membership.objects.filter(user=cast.other_member).update(status=MembershipStatus.BANNED)
    client.force_login(cast.other_member)
    assert client.get(f"/c/{cast.community.slug}/t/{thread.pk}/").status_code == 404
    assert not visible_threads(cast.other_member).exists()


def test_circle_threads_reach_only_the_circle(client):
    cast = Cast()
    circle = make_circle_of(cast.community, cast.member, cast.champion)
    thread = make_thread(author=cast.member, community=cast.community, circle=circle)
    url = f"/c/{cast.community.slug}/t/{thread.pk}/"
    for outsider in (cast.other_member, cast.moderator, cast.outsider):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert thread.title not in client.get(f"/c/{cast.community.slug}/t/").content.decode()
        assert thread not in recent_threads_for_community(viewer=outsider, community=cast.community)
    client.force_login(cast.champion)
    assert client.get(url).status_code == 200
    make_reply(author=cast.champion, thread=thread)
    with pytest.raises(PermissionDenied):
        make_reply(author=cast.other_member, thread=thread)
    client.force_login(cast.staff)
    assert client.get(url).status_code == 200


def test_hidden_threads_reach_only_moderators_and_staff(client):
    cast = Cast()
    thread = make_thread(author=cast.member, community=cast.community)
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    url = f"/c/{cast.community.slug}/t/{thread.pk}/"
    for viewer in (cast.member, cast.other_member, cast.champion, cast.outsider):
        client.force_login(viewer)
        assert client.get(url).status_code == 404
    for viewer in (cast.moderator, cast.manager, cast.staff):
        client.force_login(viewer)
        assert client.get(url).status_code == 200


def test_hidden_replies_are_left_out_for_members_and_marked_for_moderators(client):
    cast = Cast()
    thread = make_thread(author=cast.member, community=cast.community)
    post = make_reply(author=cast.other_member, thread=thread, body="Rude words here")
    post.is_hidden = True
    post.save(update_fields=["is_hidden"])
    url = f"/c/{cast.community.slug}/t/{thread.pk}/"
    client.force_login(cast.member)
    assert "Rude words here" not in client.get(url).content.decode()
    client.force_login(cast.moderator)
    page = client.get(url).content.decode()
    assert "Rude words here" in page
    assert "hidden by moderators" in page
    client.force_login(cast.member)
    vote_url = f"{url}p/{post.pk}/vote/"
    assert client.post(vote_url).status_code == 404


def test_edit_and_moderator_pages_are_404_for_others(client):
    cast = Cast()
    thread = make_thread(author=cast.member, community=cast.community, is_anonymous=True)
    post = make_reply(author=cast.other_member, thread=thread)
    base = f"/c/{cast.community.slug}/t/{thread.pk}/"
    client.force_login(cast.other_member)
    assert client.get(base + "edit/").status_code == 404
    assert client.get(base + "history/").status_code == 404
    assert client.get(base + "reveal/").status_code == 404
    client.force_login(cast.member)
    assert client.get(f"{base}p/{post.pk}/edit/").status_code == 404


def test_recent_threads_for_the_community_page(client):
    cast = Cast()
    for n in range(7):
        make_thread(author=cast.member, community=cast.community, title=f"T{n}")
    recent = recent_threads_for_community(viewer=UserFactory(), community=cast.community)
    assert [t.title for t in recent] == ["T6", "T5", "T4", "T3", "T2"]
    assert all(t.status == "unanswered" for t in recent)


def test_votes_need_to_see_the_thread():
    cast = Cast()
    circle = make_circle_of(cast.community, cast.member)
    thread = make_thread(author=cast.member, community=cast.community, circle=circle)
    post = make_reply(author=cast.member, thread=thread)
    from django.http import Http404

    with pytest.raises(Http404):
        vote(voter=cast.other_member, post=post)
