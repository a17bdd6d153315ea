"""Notification settings per circle: chosen on the circle page by its members, listed on the
community page, and winning over the community's setting for that circle's threads."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.discussions.models.notifications import NotificationLevel
from communities.discussions.services.follows import set_community_follow
from communities.discussions.services.notifications import (
    AS_COMMUNITY,
    notify_new_thread,
    set_circle_notification_level,
    set_community_notification_level,
)
from communities.models import CircleNotificationSetting, Notification, Thread
from tests.communities.factories import Cast, make_circle_of, make_member, make_reply, make_thread

pytestmark = pytest.mark.django_db


def _heard(user) -> set[str]:
    return set(Notification.objects.filter(recipient=user).values_list("event", flat=True))


@pytest.fixture
def circle(cast):
    return make_circle_of(cast.community, cast.member, cast.other_member)


@pytest.mark.parametrize(
    ("community_level", "circle_level", "hears_circle", "hears_community"),
    [
        (None, None, True, True),
        (None, NotificationLevel.MUTE, False, True),
        (NotificationLevel.MUTE, NotificationLevel.ALL, True, False),
        (NotificationLevel.MUTE, None, False, False),
        (NotificationLevel.ALL, NotificationLevel.MENTIONS, False, True),
        (NotificationLevel.ALL, NotificationLevel.QUESTIONS, True, True),
    ],
)
def test_the_circle_setting_wins_for_its_threads_only(
    cast, circle, community_level, circle_level, hears_circle, hears_community
):
    listener = cast.other_member
    set_community_follow(user=listener, community=cast.community, follow=True)
    if community_level is not None:
        set_community_notification_level(
            user=listener, community=cast.community, level=community_level
        )
    if circle_level is not None:
        set_circle_notification_level(user=listener, circle=circle, level=circle_level)
    in_circle = make_thread(author=cast.member, community=cast.community, circle=circle)
    outside = make_thread(author=cast.member, community=cast.community, title="Out here")
    heard = _heard(listener)
    assert (f"thread:{in_circle.pk}" in heard) == hears_circle
    assert (f"thread:{outside.pk}" in heard) == hears_community


def test_mentions_reach_mentions_only_but_not_mute(cast, circle):
    """The documented choice: "mentions only" keeps what is addressed to the person, mute
    keeps nothing, however it is addressed."""
    listener = cast.other_member
    set_circle_notification_level(user=listener, circle=circle, level=NotificationLevel.MENTIONS)
    body = f"What do you think, @{listener.username}?"
    first = make_thread(author=cast.member, community=cast.community, circle=circle, body=body)
    own = make_thread(author=listener, community=cast.community, circle=circle, title="Mine")
    reply = make_reply(author=cast.member, thread=own)
    assert {f"thread:{first.pk}", f"post:{reply.pk}"} <= _heard(listener)
    set_circle_notification_level(user=listener, circle=circle, level=NotificationLevel.MUTE)
    second = make_thread(
        author=cast.member, community=cast.community, circle=circle, body=body, title="Again"
    )
    muted_reply = make_reply(author=cast.member, thread=own, body="Still here?")
    heard = _heard(listener)
    assert f"thread:{second.pk}" not in heard
    assert f"post:{muted_reply.pk}" not in heard


def test_as_community_removes_the_override(cast, circle):
    listener = cast.other_member
    set_circle_notification_level(user=listener, circle=circle, level=NotificationLevel.MUTE)
    set_circle_notification_level(user=listener, circle=circle, level=AS_COMMUNITY)
    assert not CircleNotificationSetting.objects.exists()
    set_community_follow(user=listener, community=cast.community, follow=True)
    thread = make_thread(author=cast.member, community=cast.community, circle=circle)
    assert f"thread:{thread.pk}" in _heard(listener)


@pytest.mark.parametrize("who", ["outsider", "champion", "moderator", "manager", "staff"])
def test_a_non_member_of_the_circle_is_refused_with_a_message(cast, circle, who):
    with pytest.raises(ValidationError, match="Only members of Reading circle choose"):
        set_circle_notification_level(user=cast[who], circle=circle, level="mute")
    assert not CircleNotificationSetting.objects.exists()


def test_a_made_up_level_is_refused_and_nothing_is_written(cast, circle):
    with pytest.raises(ValidationError, match="Choose one of the notification settings"):
        set_circle_notification_level(user=cast.member, circle=circle, level="loud")
    assert not CircleNotificationSetting.objects.exists()


def test_the_circle_page_offers_the_setting_to_members_and_saves_it(client, cast, circle):
    url = f"/c/{cast.community.slug}/circles/{circle.slug}/"
    client.force_login(cast.member)
    page = client.get(url).content.decode()
    assert f'action="{url}notifications/"' in page
    assert 'value="community" checked' in page
    assert "(now: all activity)" in page
    response = client.post(f"{url}notifications/", {"level": "questions"})
    assert response.status_code == 302
    assert response["Location"] == url
    setting = CircleNotificationSetting.objects.get()
    assert (setting.user, setting.circle, setting.level) == (cast.member, circle, "questions")
    assert 'value="questions" checked' in client.get(url).content.decode()
    # Only for themselves: another member's setting is untouched by this one's choice.
    assert not CircleNotificationSetting.objects.filter(user=cast.other_member).exists()


def test_the_community_page_lists_the_members_circles_with_their_setting(client, cast, circle):
    other = make_circle_of(cast.community, cast.member, name="Writing circle")
    make_circle_of(cast.community, cast.champion, name="Not mine")
    set_circle_notification_level(user=cast.member, circle=other, level="mute")
    client.force_login(cast.member)
    page = client.get(f"/c/{cast.community.slug}/").content.decode()
    assert "Your circles" in page
    assert f"Reading circle</a>: as for {cast.community.name}" in page
    assert "Writing circle</a>: mute" in page
    assert "Not mine" not in page.split("Your circles")[1].split("</section>")[0]


@pytest.mark.parametrize(
    ("role", "status", "saved"),
    [
        ("anonymous", 302, False),
        ("outsider", 302, False),
        ("champion", 302, False),
        ("moderator", 302, False),
        ("manager", 302, False),
        ("staff", 302, False),
        ("member", 302, True),
    ],
)
def test_who_may_choose_a_circle_setting(client, cast, circle, role, status, saved):
    url = f"/c/{cast.community.slug}/circles/{circle.slug}/"
    if cast[role] is not None:
        client.force_login(cast[role])
    response = client.post(f"{url}notifications/", {"level": "mute"}, follow=role != "anonymous")
    if role == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 200
        body = response.content.decode()
        if saved:
            assert "From Reading circle you now get: mute." in body
        else:
            assert "Only members of Reading circle choose how they hear from it" in body
            assert "Your notifications from this circle" not in body
    assert CircleNotificationSetting.objects.exists() == saved


def test_a_private_communitys_circle_stays_unknown_to_outsiders(client):
    cast = Cast("private")
    circle = make_circle_of(cast.community, cast.member)
    client.force_login(cast.outsider)
    url = f"/c/{cast.community.slug}/circles/{circle.slug}/notifications/"
    assert client.post(url, {"level": "mute"}).status_code == 404
    assert not CircleNotificationSetting.objects.exists()


def _notify_queries(cast, circle, followers: int) -> int:
    people = [make_member(cast.community) for _ in range(followers)]
    for n, person in enumerate(people):
        circle.memberships.create(user=person)
        set_community_follow(user=person, community=cast.community, follow=True)
        level = [NotificationLevel.ALL, NotificationLevel.MUTE, NotificationLevel.QUESTIONS][n % 3]
        set_circle_notification_level(user=person, circle=circle, level=level)
    thread = make_thread(author=cast.member, community=cast.community, circle=circle)
    Notification.objects.filter(thread=thread).delete()
    thread = Thread.objects.get(pk=thread.pk)
    with CaptureQueriesContext(connection) as queries:
        notify_new_thread(thread=thread)
    heard = Notification.objects.filter(thread=thread).count()
    assert heard == sum(1 for n in range(followers) if n % 3 != 1)
    circle.memberships.filter(user__in=people).delete()
    return len(queries)


def test_notifying_followers_keeps_a_constant_number_of_queries(cast, circle):
    assert _notify_queries(cast, circle, 5) == _notify_queries(cast, circle, 50)
