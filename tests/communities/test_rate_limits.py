"""Each posting limit for new members, through the services and the pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from communities.core.errors import RateLimited
from communities.core.models.communities import Role
from communities.discussions.services.limits import is_new_member, posts_in_community
from communities.models import Post, Thread
from tests.communities.factories import make_member, make_reply, make_seasoned, make_thread

pytestmark = pytest.mark.new_member_limits


@pytest.fixture
def newcomer(cast):
    return make_member(cast.community)


def _age_threads(user, minutes: int):
    Thread.objects.filter(author=user).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_who_counts_as_new(cast, newcomer, settings):
    community = cast.community
    assert is_new_member(newcomer, community)  # joined today
    make_seasoned(newcomer, community)
    assert is_new_member(newcomer, community)  # joined long ago, but no posts yet
    thread = make_thread(author=newcomer, community=community)
    make_reply(author=newcomer, thread=thread)
    make_reply(author=newcomer, thread=thread)
    assert not is_new_member(newcomer, community)  # 3 posts and 30 days
    assert not is_new_member(cast.moderator, community)
    assert not is_new_member(cast.staff, community)


def test_two_minutes_between_threads(cast, newcomer):
    make_thread(author=newcomer, community=cast.community)
    with pytest.raises(RateLimited, match="wait 2 minutes between threads") as caught:
        make_thread(author=newcomer, community=cast.community, title="Second")
    assert caught.value.retry_at > timezone.now()
    assert Thread.objects.count() == 1
    _age_threads(newcomer, 3)
    make_thread(author=newcomer, community=cast.community, title="Second")


def test_three_threads_a_day(cast, newcomer):
    for n in range(3):
        make_thread(author=newcomer, community=cast.community, title=f"Thread {n}")
        _age_threads(newcomer, 10)
    with pytest.raises(RateLimited, match="3 threads a day") as caught:
        make_thread(author=newcomer, community=cast.community, title="Fourth")
    assert caught.value.retry_at > timezone.now() + timedelta(hours=23)
    assert Thread.objects.count() == 3


def test_ten_replies_a_day(cast, newcomer):
    thread = make_thread(author=cast.moderator, community=cast.community)
    for n in range(10):
        make_reply(author=newcomer, thread=thread, body=f"reply {n}")
    with pytest.raises(RateLimited, match="10 replies a day"):
        make_reply(author=newcomer, thread=thread, body="one more")
    assert Post.objects.count() == 10
    Post.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    make_reply(author=newcomer, thread=thread, body="the next day")


def test_links_per_post(cast, newcomer):
    thread = make_thread(author=cast.moderator, community=cast.community)
    body = "See https://a.example, [b](https://b.example) and www.c.example"
    with pytest.raises(ValidationError, match="at most 2 links"):
        make_reply(author=newcomer, thread=thread, body=body)
    with pytest.raises(ValidationError, match="at most 2 links"):
        make_thread(author=newcomer, community=cast.community, body=body)
    assert not Post.objects.exists()
    make_reply(author=newcomer, thread=thread, body="Just https://a.example and www.b.example")


def test_established_members_and_moderators_are_not_limited(cast, newcomer, settings):
    moderator = make_member(cast.community, role=Role.MODERATOR)
    for n in range(4):
        make_thread(author=moderator, community=cast.community, title=f"Prompt {n}")
    settings.TRELLIS_NEW_MEMBER_POSTS = 0
    make_seasoned(newcomer, cast.community)
    for n in range(4):
        make_thread(author=newcomer, community=cast.community, title=f"Mine {n}")
    # Past the new-member limits (3 a day, 120 seconds apart), all eight stand.
    assert Thread.objects.filter(community=cast.community, author=moderator).count() == 4
    assert Thread.objects.filter(community=cast.community, author=newcomer).count() == 4


def test_the_pages_answer_429_with_the_message(client, cast, newcomer):
    client.force_login(newcomer)
    url = f"/c/{cast.community.slug}/t/new/"
    data = {"kind": "discussion", "title": "First", "body": "Hello all", "tag_names": ""}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "title": "Second"})
    assert response.status_code == 429
    assert "wait 2 minutes between threads" in response.content.decode()
    thread = Thread.objects.get()
    for n in range(10):
        make_reply(author=newcomer, thread=thread, body=f"reply {n}")
    response = client.post(f"/c/{cast.community.slug}/t/{thread.pk}/", {"body": "more"})
    assert response.status_code == 429
    assert "10 replies a day" in response.content.decode()


def test_counting_posts_stops_at_the_threshold(cast, newcomer):
    community = cast.community
    make_seasoned(newcomer, community)
    thread = make_thread(author=newcomer, community=community)
    for _ in range(4):
        make_reply(author=newcomer, thread=thread)
    # A prolific member's next post costs the same as anyone's: no count of all they wrote.
    assert posts_in_community(newcomer, community, up_to=3) == 3
    assert posts_in_community(newcomer, community, up_to=10) == 5
    assert posts_in_community(newcomer, community, up_to=1) == 1
    assert not is_new_member(newcomer, community)
