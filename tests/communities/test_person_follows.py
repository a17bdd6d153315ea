"""Following a person: their new threads and answers reach the follower's home, never what
the follower may not read, and never an anonymous question."""

import pytest
from django.urls import reverse

from communities.discussions.services.person_follows import set_person_follow
from communities.models import PersonFollow
from tests.communities.factories import (
    add_member,
    make_circle_of,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db


def _news(client, user) -> str:
    client.force_login(user)
    html = client.get("/").content.decode()
    if 'id="people-title"' not in html:
        return ""
    start = html.index('id="people-title"')
    return html[start : html.index("</section>", start)]


def test_following_from_the_profile_brings_threads_and_answers_home(client, cast):
    client.force_login(cast.member)
    profile = reverse("communities:profile-detail", args=[cast.other_member.username])
    assert "Follow " + cast.other_member.public_name in client.get(profile).text
    response = client.post(reverse("communities:person-follow", args=[cast.other_member.username]))
    assert response.status_code == 302
    assert PersonFollow.objects.filter(follower=cast.member, person=cast.other_member).exists()
    assert "Following " + cast.other_member.public_name in client.get(profile).text

    make_thread(author=cast.other_member, community=cast.community, title="Started by them")
    elsewhere = make_thread(author=cast.champion, community=cast.community, title="Their answer")
    answer = make_reply(author=cast.other_member, thread=elsewhere)
    news = _news(client, cast.member)
    assert "started" in news
    assert "Started by them" in news
    assert f"#post-{answer.pk}" in news

    client.post(
        reverse("communities:person-follow", args=[cast.other_member.username]),
        {"action": "unfollow"},
    )
    assert _news(client, cast.member) == ""


def test_anonymous_questions_and_their_askers_replies_never_reach_followers(client, cast):
    set_person_follow(user=cast.member, person=cast.other_member, follow=True)
    thread = make_thread(
        author=cast.other_member,
        community=cast.community,
        title="Asked anonymously",
        is_anonymous=True,
    )
    make_reply(author=cast.other_member, thread=thread, body="More context from the asker.")
    news = _news(client, cast.member)
    assert "Asked anonymously" not in news


def test_followers_see_only_what_they_may_read(client, cast, private_cast):
    set_person_follow(user=cast.member, person=private_cast.member, follow=True)
    add_member(cast.community, private_cast.member)
    make_thread(author=private_cast.member, community=private_cast.community, title="Private")
    circle = make_circle_of(cast.community, private_cast.member, name="Closed circle")
    make_thread(
        author=private_cast.member, community=cast.community, circle=circle, title="Circle only"
    )
    make_thread(author=private_cast.member, community=cast.community, title="Open one")
    news = _news(client, cast.member)
    assert "Open one" in news
    assert "Private" not in news
    assert "Circle only" not in news


def test_following_oneself_or_signed_out_is_refused(client, cast):
    url = reverse("communities:person-follow", args=[cast.member.username])
    assert client.post(url).status_code == 302  # to sign in
    assert not PersonFollow.objects.exists()
    client.force_login(cast.member)
    profile = client.get(reverse("communities:profile-detail", args=[cast.member.username])).text
    assert "Follow " not in profile
    response = client.post(url, follow=True)
    assert "You can&#x27;t follow yourself." in response.text
    assert not PersonFollow.objects.exists()
    assert client.get(url).status_code == 405
    missing = reverse("communities:person-follow", args=["nobody_here"])
    assert client.post(missing).status_code == 404
