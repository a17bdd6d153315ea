"""Notification settings per community: all activity, questions only, mentions only, mute,
chosen on the community page and honoured by the fan-out."""

import pytest

from communities.discussions.models.notifications import NotificationLevel
from communities.discussions.services.follows import set_community_follow
from communities.discussions.services.notifications import set_community_notification_level
from communities.models import CommunityNotificationSetting, Notification
from tests.communities.factories import Cast, make_reply, make_thread

pytestmark = pytest.mark.django_db


def _heard(user) -> set[str]:
    return set(Notification.objects.filter(recipient=user).values_list("event", flat=True))


@pytest.mark.parametrize(
    ("level", "hears_question", "hears_discussion", "hears_mention", "hears_reply"),
    [
        (None, True, True, True, True),
        (NotificationLevel.ALL, True, True, True, True),
        (NotificationLevel.QUESTIONS, True, False, True, True),
        (NotificationLevel.MENTIONS, False, False, True, True),
        (NotificationLevel.MUTE, False, False, False, False),
    ],
)
def test_the_fan_out_honours_the_setting(
    cast, level, hears_question, hears_discussion, hears_mention, hears_reply
):
    listener = cast.other_member
    set_community_follow(user=listener, community=cast.community, follow=True)
    if level is not None:
        set_community_notification_level(user=listener, community=cast.community, level=level)
    own = make_thread(author=listener, community=cast.community, kind="discussion", title="Mine")
    question = make_thread(author=cast.member, community=cast.community, title="A question")
    discussion = make_thread(
        author=cast.member, community=cast.community, kind="discussion", title="A discussion"
    )
    mention = make_thread(
        author=cast.champion,
        community=cast.community,
        kind="discussion",
        title="Calling you",
        body=f"What do you think, @{listener.username}?",
    )
    reply = make_reply(author=cast.member, thread=own)
    heard = _heard(listener)
    assert (f"thread:{question.pk}" in heard) == hears_question
    assert (f"thread:{discussion.pk}" in heard) == hears_discussion
    assert (f"thread:{mention.pk}" in heard) == hears_mention
    assert (f"post:{reply.pk}" in heard) == hears_reply


def test_a_setting_is_per_community(cast):
    other = Cast("open")
    listener = cast.other_member
    for community in (cast.community, other.community):
        set_community_follow(user=listener, community=community, follow=True)
    set_community_notification_level(
        user=listener, community=cast.community, level=NotificationLevel.MUTE
    )
    here = make_thread(author=cast.member, community=cast.community)
    there = make_thread(author=other.member, community=other.community)
    heard = _heard(listener)
    assert f"thread:{here.pk}" not in heard
    assert f"thread:{there.pk}" in heard


def test_the_community_page_offers_the_setting_and_saves_it(client, cast):
    client.force_login(cast.member)
    page = client.get(f"/c/{cast.community.slug}/").content.decode()
    assert f'action="/c/{cast.community.slug}/notifications/"' in page
    assert 'value="all" checked' in page
    response = client.post(f"/c/{cast.community.slug}/notifications/", {"level": "mentions"})
    assert response.status_code == 302
    assert CommunityNotificationSetting.objects.get(user=cast.member).level == "mentions"
    page = client.get(f"/c/{cast.community.slug}/").content.decode()
    assert 'value="mentions" checked' in page
    client.post(f"/c/{cast.community.slug}/notifications/", {"level": "mute"})
    assert CommunityNotificationSetting.objects.get(user=cast.member).level == "mute"


def test_a_made_up_level_is_refused_and_nothing_is_written(client, cast):
    client.force_login(cast.member)
    response = client.post(
        f"/c/{cast.community.slug}/notifications/", {"level": "everything"}, follow=True
    )
    assert "Choose one of the notification settings." in response.content.decode()
    assert not CommunityNotificationSetting.objects.exists()


@pytest.mark.parametrize("visibility", ["open", "private"])
@pytest.mark.parametrize(
    "role", ["anonymous", "outsider", "member", "moderator", "manager", "staff"]
)
def test_who_may_choose_a_setting(client, visibility, role):
    cast = Cast(visibility)
    if cast[role] is not None:
        client.force_login(cast[role])
    response = client.post(f"/c/{cast.community.slug}/notifications/", {"level": "mute"})
    may = role != "anonymous" and not (visibility == "private" and role == "outsider")
    if role == "anonymous" and visibility == "private":
        assert response.status_code == 404  # a private community stays unknown
    elif role == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == (302 if may else 404)
    assert CommunityNotificationSetting.objects.exists() == may
    page = client.get(f"/c/{cast.community.slug}/").content.decode()
    assert ("Your notifications here" in page) == may
