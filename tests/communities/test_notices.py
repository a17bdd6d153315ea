"""Notices: notifications about no thread, made by other apps through `communities.public`."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from communities.discussions.models.notifications import NotificationKind
from communities.models import Notification
from communities.public import notify
from communities.tasks import send_notification_email
from tests.communities.factories import Cast, make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return Cast()


def _notices(user, count: int) -> None:
    for n in range(count):
        notify(user, event=f"test:{n}", message=f"Notice number {n}", url=f"/somewhere/{n}/")


def test_a_notice_shows_for_its_recipient_only(client, cast):
    assert notify(
        cast.member,
        event="mentoring:1",
        message="Your mentoring relationship is active.",
        url="/mentoring/pairings/1/",
        actor=cast.champion,
    )
    client.force_login(cast.member)
    page = client.get("/notifications/").content.decode()
    assert 'href="/mentoring/pairings/1/">Your mentoring relationship is active.</a>' in page
    assert "data-unread-count>1<" in page
    client.force_login(cast.other_member)
    other = client.get("/notifications/").content.decode()
    assert "Your mentoring relationship is active." not in other
    assert "data-unread-count" not in other


def test_a_notice_is_made_once_per_event(cast):
    assert notify(cast.member, event="e:1", message="First", url="/a/") is True
    assert notify(cast.member, event="e:1", message="Second", url="/b/") is False
    assert notify(cast.other_member, event="e:1", message="First", url="/a/") is True
    notice = Notification.objects.get(recipient=cast.member)
    assert (notice.kind, notice.message, notice.url, notice.thread_id) == (
        NotificationKind.NOTICE,
        "First",
        "/a/",
        None,
    )


def test_the_actor_is_never_the_recipient(cast):
    notify(cast.member, event="e:1", message="You did it", url="/a/", actor=cast.member)
    assert Notification.objects.get(recipient=cast.member).actor_id is None


@pytest.mark.parametrize(
    ("message", "url"),
    [
        ("", "/a/"),
        ("   ", "/a/"),
        ("x" * 201, "/a/"),
        ("Hello", "https://elsewhere.example/"),
        ("Hello", "//elsewhere.example/"),
        ("Hello", ""),
    ],
)
def test_a_notice_needs_a_message_and_a_path_here(cast, message, url):
    with pytest.raises(ValueError, match="notice"):
        notify(cast.member, event="e:1", message=message, url=url)
    assert not Notification.objects.exists()


def test_the_database_refuses_a_notice_without_message_or_a_thread_notification_without_thread(
    cast,
):
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=cast.member, kind=NotificationKind.NOTICE, event="a", url="/a/"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=cast.member, kind=NotificationKind.REPLY, event="b", message="x", url="/a/"
        )


def test_marking_a_notice_read_and_all_read(client, cast):
    _notices(cast.member, 3)
    client.force_login(cast.member)
    first = Notification.objects.filter(recipient=cast.member).first()
    client.post(f"/notifications/{first.pk}/read/")
    assert "data-unread-count>2<" in client.get("/notifications/").content.decode()
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=cast.member, read_at__isnull=True).exists()


def test_notices_and_thread_notifications_share_the_list(client, cast):
    thread = make_thread(author=cast.member, community=cast.community, title="About tea")
    make_reply(author=cast.other_member, thread=thread)
    _notices(cast.member, 1)
    client.force_login(cast.member)
    page = client.get("/notifications/").content.decode()
    assert "About tea" in page
    assert "Notice number 0" in page
    assert page.count('id="notification-') == 2
    assert "data-unread-count>2<" in page


def test_the_list_keeps_a_constant_number_of_queries_with_notices(client, cast):
    thread = make_thread(author=cast.member, community=cast.community)
    client.force_login(cast.member)
    counts = []
    for size in (5, 50):
        Notification.objects.all().delete()
        _notices(cast.member, size)
        for n in range(size // 5):  # some thread notifications mixed in
            make_reply(author=cast.other_member, thread=thread, body=f"Reply {size}-{n}")
        client.get("/notifications/")  # warm the session and permission caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/notifications/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_badge_counts_notices_in_one_query(client, cast):
    client.force_login(cast.member)
    for size in (5, 50):
        _notices(cast.member, size)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/c/{cast.community.slug}/t/").content.decode()
        touching = [q["sql"] for q in queries if "communities_notification" in q["sql"]]
        assert len(touching) == 1
        assert f"data-unread-count>{size}<" in page


def test_the_notification_email_task_leaves_notices_alone(cast, mailoutbox):
    _notices(cast.member, 1)
    notice = Notification.objects.get(recipient=cast.member)
    assert send_notification_email(notice.pk) is False
    assert mailoutbox == []
