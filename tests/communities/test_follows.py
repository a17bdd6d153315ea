"""Members follow threads, tags and communities; authors follow their own threads."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from communities.core.models.communities import Visibility
from communities.discussions.models.notifications import NotificationKind
from communities.discussions.services.follows import (
    set_community_follow,
    set_tag_follow,
    set_thread_follow,
)
from communities.models import Follow, Notification, Tag
from tests.communities.factories import (
    CommunityFactory,
    UserFactory,
    kinds_for,
    make_circle_of,
    make_member,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db


def test_authors_and_repliers_follow_the_thread(cast):
    thread = make_thread(author=cast.member, community=cast.community)
    make_reply(author=cast.other_member, thread=thread)
    make_reply(author=cast.other_member, thread=thread, body="And one more thing.")
    followers = set(Follow.objects.filter(thread=thread).values_list("user_id", flat=True))
    assert followers == {cast.member.pk, cast.other_member.pk}


def test_following_twice_keeps_one_follow_and_unfollowing_is_idempotent(cast):
    thread = make_thread(author=cast.member, community=cast.community)
    assert set_thread_follow(user=cast.champion, thread=thread, follow=True) is True
    assert set_thread_follow(user=cast.champion, thread=thread, follow=True) is False
    assert Follow.objects.filter(user=cast.champion).count() == 1
    assert set_thread_follow(user=cast.champion, thread=thread, follow=False) is True
    assert set_thread_follow(user=cast.champion, thread=thread, follow=False) is False
    assert not Follow.objects.filter(user=cast.champion).exists()


def test_nobody_follows_a_thread_they_cannot_see(cast):
    circle = make_circle_of(cast.community, cast.member)
    thread = make_thread(author=cast.member, community=cast.community, circle=circle)
    with pytest.raises(Http404):
        set_thread_follow(user=cast.other_member, thread=thread, follow=True)
    assert not Follow.objects.filter(user=cast.other_member).exists()


def test_community_follows_respect_visibility():
    private = CommunityFactory(visibility=Visibility.PRIVATE)
    restricted = CommunityFactory(visibility=Visibility.RESTRICTED)
    outsider = UserFactory()
    with pytest.raises(Http404):
        set_community_follow(user=outsider, community=private, follow=True)
    with pytest.raises(ValidationError, match="Join this community first"):
        set_community_follow(user=outsider, community=restricted, follow=True)
    assert not Follow.objects.exists()
    member = make_member(restricted)
    assert set_community_follow(user=member, community=restricted, follow=True)


def test_a_bad_tag_name_is_refused_with_a_message(cast):
    with pytest.raises(ValidationError, match="not a tag you can follow"):
        set_tag_follow(user=cast.member, tag_name="Not A Tag!", follow=True)
    assert not Follow.objects.exists()
    tag = set_tag_follow(user=cast.member, tag_name="#Remote-Work", follow=True)
    assert tag == Tag.objects.get(name="remote-work")


def test_new_threads_reach_followers_of_the_community_and_of_its_tags(cast):
    set_community_follow(user=cast.champion, community=cast.community, follow=True)
    set_tag_follow(user=cast.moderator, tag_name="facilitation", follow=True)
    # Following both the community and the tag still gives one notification.
    set_community_follow(user=cast.manager, community=cast.community, follow=True)
    set_tag_follow(user=cast.manager, tag_name="facilitation", follow=True)
    make_thread(author=cast.member, community=cast.community, tag_names=["facilitation"])
    assert kinds_for(cast.champion) == [NotificationKind.FOLLOWED_COMMUNITY]
    assert kinds_for(cast.moderator) == [NotificationKind.FOLLOWED_TAG]
    assert kinds_for(cast.manager) == [NotificationKind.FOLLOWED_TAG]
    assert kinds_for(cast.member) == []


def test_replies_reach_thread_followers_who_want_them(cast):
    thread = make_thread(author=cast.member, community=cast.community)
    set_thread_follow(user=cast.champion, thread=thread, follow=True)
    set_thread_follow(user=cast.manager, thread=thread, follow=True)
    cast.manager.notify_on_follows = False
    cast.manager.save(update_fields=["notify_on_follows"])
    make_reply(author=cast.other_member, thread=thread)
    assert kinds_for(cast.champion) == [NotificationKind.FOLLOWED_THREAD]
    assert kinds_for(cast.manager) == []
    # The asker hears of the answer directly, once.
    assert kinds_for(cast.member) == [NotificationKind.REPLY]


def test_a_circle_thread_never_reaches_followers_outside_the_circle(cast):
    for person in (cast.champion, cast.other_member):
        set_community_follow(user=person, community=cast.community, follow=True)
        set_tag_follow(user=person, tag_name="facilitation", follow=True)
    circle = make_circle_of(cast.community, cast.member, cast.other_member)
    make_thread(author=cast.member, community=cast.community, circle=circle)
    assert kinds_for(cast.other_member) == [NotificationKind.FOLLOWED_TAG]
    assert not Notification.objects.filter(recipient=cast.champion).exists()


def test_a_private_community_never_reaches_outside_tag_followers():
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    author = make_member(community)
    outsider = UserFactory()
    set_tag_follow(user=outsider, tag_name="facilitation", follow=True)
    make_thread(author=author, community=community, tag_names=["facilitation"])
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_the_followed_filter_keeps_followed_threads_and_threads_in_followed_tags(client, cast):
    mine = make_thread(author=cast.member, community=cast.community, title="My own question")
    tagged = make_thread(
        author=cast.other_member,
        community=cast.community,
        title="About onboarding",
        tag_names=["onboarding"],
    )
    other = make_thread(
        author=cast.other_member, community=cast.community, title="Unrelated musing"
    )
    set_tag_follow(user=cast.member, tag_name="onboarding", follow=True)
    client.force_login(cast.member)
    body = client.get(f"/c/{cast.community.slug}/t/?followed=1").content.decode()
    assert mine.title in body
    assert tagged.title in body
    assert other.title not in body
    everything = client.get(f"/c/{cast.community.slug}/t/").content.decode()
    assert other.title in everything


def test_follow_buttons_work_as_plain_forms_and_with_htmx(client, cast):
    thread = make_thread(author=cast.member, community=cast.community)
    client.force_login(cast.champion)
    url = f"/c/{cast.community.slug}/t/{thread.pk}/"
    page = client.get(url).content.decode()
    assert "Follow thread" in page
    response = client.post(f"{url}follow/", {"action": "follow", "next": url})
    assert response.status_code == 302
    assert response.url == url
    assert "Following thread" in client.get(url).content.decode()
    fragment = client.post(
        f"{url}follow/", {"action": "unfollow"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Follow thread" in fragment
    assert "<html" not in fragment
    assert not Follow.objects.filter(user=cast.champion).exists()

    list_url = f"/c/{cast.community.slug}/t/?tag=facilitation"
    page = client.get(list_url).content.decode()
    assert "Follow community" in page
    assert "Follow tag “facilitation”" in page
    client.post(f"/c/{cast.community.slug}/follow/", {"action": "follow"})
    client.post("/tags/facilitation/follow/", {"action": "follow"})
    page = client.get(list_url).content.decode()
    assert "Following community" in page
    assert "Following tag “facilitation”" in page
    odd = client.get(f"/c/{cast.community.slug}/t/?tag=a/b%20c")
    assert odd.status_code == 200
    assert "Follow tag" not in odd.content.decode()


def test_follow_urls_hide_what_the_person_cannot_see(client, cast):
    private = CommunityFactory(visibility=Visibility.PRIVATE)
    thread = make_thread(author=make_member(private), community=private)
    client.force_login(cast.outsider)
    assert client.post(f"/c/{private.slug}/t/{thread.pk}/follow/").status_code == 404
    assert client.post(f"/c/{private.slug}/follow/").status_code == 404
    assert client.get(f"/c/{cast.community.slug}/follow/").status_code == 405
    assert not Follow.objects.filter(user=cast.outsider).exists()


def test_the_followed_list_keeps_a_constant_number_of_queries(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.member)
    url = f"/c/{cast.community.slug}/t/?followed=1"
    counts = []
    for size in (5, 50):
        while Follow.objects.filter(user=cast.member, thread__isnull=False).count() < size:
            make_thread(author=cast.member, community=cast.community, tag_names=["a", "b"])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
