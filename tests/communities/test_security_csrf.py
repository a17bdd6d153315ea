"""Every state-changing endpoint refuses a POST without a CSRF token and changes nothing on
GET: a link, an image or a mail scanner can never act for a signed-in person."""

import pytest
from django.test import Client

from communities.models import Follow, Notification, Thanks, Vote
from tests.communities.factories import Cast, make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(settings):
    cast = Cast()
    thread = make_thread(author=cast.member, community=cast.community)
    answer = make_reply(author=cast.other_member, thread=thread, body="Try a silent round.")
    return cast, thread, answer


def _post_only_urls(cast, thread, answer):
    c, t, p = cast.community.slug, thread.pk, answer.pk
    notification = Notification.objects.filter(recipient=cast.member).first()
    return [
        f"/c/{c}/t/{t}/p/{p}/vote/",
        f"/c/{c}/t/{t}/p/{p}/thank/",
        f"/c/{c}/t/{t}/accept/",
        f"/c/{c}/t/{t}/verify/",
        f"/c/{c}/t/{t}/follow/",
        f"/c/{c}/follow/",
        "/tags/facilitation/follow/",
        "/notifications/read-all/",
        f"/notifications/{notification.pk}/read/",
        "/preview/markdown/",
        f"/c/{c}/moderation/act/",
        f"/c/{c}/agree/",
        "/calendar/new-address/",
    ]


def test_post_only_endpoints_refuse_get(story):
    cast, thread, answer = story
    client = Client()
    client.force_login(cast.member)
    for url in _post_only_urls(cast, thread, answer):
        assert client.get(url).status_code == 405, url


def test_posts_without_a_csrf_token_are_refused_and_change_nothing(story):
    cast, thread, answer = story
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.member)
    follows_before = Follow.objects.count()
    for url in [
        *_post_only_urls(cast, thread, answer),
        f"/c/{cast.community.slug}/t/{thread.pk}/",
        f"/c/{cast.community.slug}/t/new/",
        f"/c/{cast.community.slug}/t/{thread.pk}/flag/",
        f"/c/{cast.community.slug}/leave/",
    ]:
        assert client.post(url, {"body": "x", "post": answer.pk}).status_code == 403, url
    assert not Vote.objects.exists()
    assert not Thanks.objects.exists()
    assert Follow.objects.count() == follows_before
    assert not Notification.objects.filter(read_at__isnull=False).exists()
