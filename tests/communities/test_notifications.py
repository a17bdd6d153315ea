"""In-app notifications: created when things happen, once, only for people who may read."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.core.models.communities import Visibility
from communities.discussions.models.notifications import NotificationKind
from communities.discussions.selectors.notifications import readers_of
from communities.discussions.selectors.threads import visible_threads
from communities.discussions.services.follows import set_thread_follow
from communities.discussions.services.posts import reply
from communities.discussions.services.threads import accept_answer, mark_verified_answer
from communities.models import Notification, Thread, User
from communities.tasks import send_notification_email
from tests.communities.factories import (
    Cast,
    CommunityFactory,
    UserFactory,
    kinds_for,
    make_circle_of,
    make_member,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db


def test_one_notification_per_event_and_person_with_the_strongest_reason(cast):
    thread = make_thread(author=cast.member, community=cast.community)
    set_thread_follow(user=cast.champion, thread=thread, follow=True)
    make_reply(
        author=cast.other_member,
        thread=thread,
        body=f"@{cast.member.username} @{cast.champion.username} here is how.",
    )
    assert kinds_for(cast.member) == [NotificationKind.MENTION]
    assert kinds_for(cast.champion) == [NotificationKind.MENTION]
    assert Notification.objects.count() == 2


def test_a_nested_reply_notifies_the_answer_author(cast):
    thread = make_thread(author=cast.member, community=cast.community)
    answer = make_reply(author=cast.other_member, thread=thread)
    make_reply(author=cast.champion, thread=thread, parent=answer, body="Agreed, and…")
    assert kinds_for(cast.other_member) == [NotificationKind.REPLY]
    assert kinds_for(cast.member) == [NotificationKind.REPLY, NotificationKind.FOLLOWED_THREAD]


def test_accepting_and_verifying_notify_once(cast):
    thread = make_thread(author=cast.member, community=cast.community)
    answer = make_reply(author=cast.other_member, thread=thread)
    for _ in range(2):
        accept_answer(actor=cast.member, thread=thread, post=answer)
        mark_verified_answer(actor=cast.moderator, thread=thread, post=answer)
    assert kinds_for(cast.other_member) == [
        NotificationKind.ANSWER_ACCEPTED,
        NotificationKind.ANSWER_VERIFIED,
    ]
    verified = Notification.objects.get(recipient=cast.member, kind="answer_verified")
    assert verified.kind == NotificationKind.ANSWER_VERIFIED
    assert verified.actor == cast.moderator


def test_a_refused_reply_leaves_no_notification(cast):
    thread = make_thread(author=cast.member, community=cast.community)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    with pytest.raises(ValidationError):
        reply(author=cast.other_member, thread=thread, body=f"@{cast.champion.username}")
    assert not Notification.objects.exists()


def test_the_list_links_to_the_exact_reply_and_marks_read(client, cast):
    thread = make_thread(author=cast.member, community=cast.community)
    post = make_reply(author=cast.other_member, thread=thread)
    notification = Notification.objects.get(recipient=cast.member)
    client.force_login(cast.member)
    page = client.get("/notifications/").content.decode()
    assert f'href="/c/{cast.community.slug}/t/{thread.pk}/#post-{post.pk}"' in page
    assert cast.other_member.public_name in page
    assert "data-unread-count>1<" in page

    response = client.post(f"/notifications/{notification.pk}/read/")
    assert response.status_code == 302
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None
    client.post(f"/notifications/{notification.pk}/read/", headers={"HX-Request": "true"})
    notification.refresh_from_db()
    assert notification.read_at == first_read
    assert "data-unread-count" not in client.get("/notifications/").content.decode()


def test_mark_all_read_and_nobody_marks_someone_elses(client, cast):
    thread = make_thread(author=cast.member, community=cast.community)
    make_reply(author=cast.other_member, thread=thread)
    make_reply(author=cast.champion, thread=thread)
    notification = Notification.objects.filter(recipient=cast.member).first()
    client.force_login(cast.other_member)
    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 404
    assert client.get(f"/notifications/{notification.pk}/read/").status_code == 405
    client.force_login(cast.member)
    assert client.post("/notifications/read-all/").status_code == 302
    assert not Notification.objects.filter(recipient=cast.member, read_at__isnull=True).exists()


def test_the_list_needs_a_sign_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_notifications_about_threads_the_person_can_no_longer_read_disappear(client):
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    asker, helper = make_member(community), make_member(community)
    thread = make_thread(author=asker, community=community, title="A private matter")
    make_reply(author=helper, thread=thread)
    client.force_login(asker)
    assert "A private matter" in client.get("/notifications/").content.decode()
    asker.memberships.update(status="left")
    page = client.get("/notifications/").content.decode()
    assert "A private matter" not in page
    assert "data-unread-count" not in page


def _fill_inbox(cast, thread, count: int):
    post = make_reply(author=cast.other_member, thread=thread, body="An idea")
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=cast.member,
            kind=NotificationKind.FOLLOWED_THREAD,
            event=f"test:{n}",
            thread=thread,
            post=post,
            actor=[cast.other_member, cast.champion, None][n % 3],
            created_at=now - datetime.timedelta(minutes=n),
        )
        for n in range(count)
    )


def test_the_list_keeps_a_constant_number_of_queries(client, cast):
    thread = make_thread(author=cast.member, community=cast.community)
    client.force_login(cast.member)
    counts = []
    for size in (5, 50):
        Notification.objects.all().delete()
        _fill_inbox(cast, thread, size)
        client.get("/notifications/")  # warm the session and permission caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/notifications/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_readers_of_agrees_with_visible_threads():
    """The people-side rule must say exactly what `visible_threads` says, for every case."""
    cast = Cast(Visibility.RESTRICTED)
    private = CommunityFactory(visibility=Visibility.PRIVATE)
    open_community = CommunityFactory(visibility=Visibility.OPEN)
    banned = make_member(cast.community)
    banned.memberships.update(status="banned")
    circle = make_circle_of(cast.community, cast.member)
    threads = [
        make_thread(author=cast.member, community=cast.community),
        make_thread(author=cast.member, community=cast.community, circle=circle),
        make_thread(author=make_member(private), community=private),
        make_thread(author=make_member(open_community), community=open_community),
    ]
    hidden = make_thread(author=cast.member, community=cast.community, title="Hidden one")
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    threads.append(Thread.objects.get(pk=hidden.pk))
    people = User.objects.all()
    for thread in threads:
        expected = {user.pk for user in people if visible_threads(user).filter(pk=thread.pk)}
        assert set(readers_of(thread, people).values_list("pk", flat=True)) == expected


def test_the_email_task_sends_once_and_not_after_access_is_lost(
    django_capture_on_commit_callbacks, mailoutbox
):
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    asker, helper, mentioned = (make_member(community) for _ in range(3))
    thread = make_thread(author=asker, community=community)
    make_reply(author=helper, thread=thread, body=f"@{mentioned.username} knows.")
    notification = Notification.objects.get(recipient=mentioned)
    assert send_notification_email(notification.pk) is True
    assert send_notification_email(notification.pk) is False
    assert len(mailoutbox) == 1
    asker_note = Notification.objects.get(recipient=asker)
    asker.memberships.update(status="left")
    assert send_notification_email(asker_note.pk) is False
    assert len(mailoutbox) == 1


def test_the_list_is_paged(client, cast):
    thread = make_thread(author=cast.member, community=cast.community)
    _fill_inbox(cast, thread, 45)
    client.force_login(cast.member)
    first = client.get("/notifications/").content.decode()
    assert first.count('id="notification-') == 30
    assert "page=2" in first
    second = client.get("/notifications/?page=2").content.decode()
    assert second.count('id="notification-') == 16  # 45 filled + the real reply


def test_the_unread_count_costs_one_query_on_every_page(client, cast):
    thread = make_thread(author=cast.member, community=cast.community)
    make_reply(author=cast.other_member, thread=thread)
    client.force_login(cast.member)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/c/{cast.community.slug}/t/").content.decode()
    touching = [q["sql"] for q in queries if "communities_notification" in q["sql"]]
    assert len(touching) == 1
    assert "data-unread-count>1<" in page


def test_a_big_follower_fan_out_reaches_everyone_who_can_read(cast):
    from communities.models import Follow

    followers = [make_member(cast.community) for _ in range(3)]
    users = [*followers, *(UserFactory() for _ in range(2))]
    Follow.objects.bulk_create(Follow(user=user, community=cast.community) for user in users)
    import communities.discussions.services.notifications as service

    original, service.BATCH_SIZE = service.BATCH_SIZE, 2
    try:
        make_thread(author=cast.member, community=cast.community)
    finally:
        service.BATCH_SIZE = original
    # An open community: every follower can read it, so all five hear of it.
    assert Notification.objects.filter(kind="followed_community").count() == len(users)
