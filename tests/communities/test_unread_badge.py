"""The unread badge counts at most 100 rows: the same one query for 5 and 5,000 unread."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.discussions.models.notifications import NotificationKind
from communities.models import Notification, Thread
from tests.communities.factories import Cast, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return Cast()


def _unread(cast, thread, count: int) -> None:
    have = Notification.objects.filter(recipient=cast.member).count()
    Notification.objects.bulk_create(
        Notification(
            recipient=cast.member,
            kind=NotificationKind.FOLLOWED_THREAD,
            event=f"test:{n}",
            thread=thread,
        )
        for n in range(have, count)
    )


def _badge_queries(client, cast) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/c/{cast.community.slug}/t/").content.decode()
    touching = [q["sql"] for q in queries if "communities_notification" in q["sql"]]
    return page, touching


def test_the_badge_counts_at_most_a_hundred_rows(client, cast):
    thread = make_thread(author=cast.member, community=cast.community)
    client.force_login(cast.member)
    _unread(cast, thread, 5)
    page, small = _badge_queries(client, cast)
    assert "data-unread-count>5<" in page
    _unread(cast, thread, 250)
    page, large = _badge_queries(client, cast)
    assert "data-unread-count>99+<" in page
    assert len(small) == len(large) == 1
    assert "LIMIT 100" in large[0]


def _notify(cast, thread, count: int, label: str) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=cast.member,
            kind=NotificationKind.FOLLOWED_THREAD if thread else NotificationKind.NOTICE,
            event=f"test:{label}:{n}",
            thread=thread,
            message="" if thread else "A notice.",
            url="" if thread else "/notifications/",
        )
        for n in range(count)
    )


def _badge(client, cast) -> str:
    page = client.get(f"/c/{cast.community.slug}/t/").content.decode()
    if "data-unread-count>" not in page:
        return ""
    return page.split("data-unread-count>", 1)[1].split("<", 1)[0]


def test_the_badge_leaves_out_threads_the_reader_can_no_longer_read(client, cast):
    readable = make_thread(author=cast.other_member, community=cast.community)
    gone = make_thread(author=cast.other_member, community=cast.community, title="Gone thread")
    Thread.objects.filter(pk=gone.pk).update(is_hidden=True)
    client.force_login(cast.member)
    _notify(cast, readable, 3, "readable")
    _notify(cast, gone, 2, "gone")
    _notify(cast, None, 1, "notice")
    assert _badge(client, cast) == "4"


def test_at_the_cap_unreadable_rows_do_not_fill_the_badge(client, cast):
    readable = make_thread(author=cast.other_member, community=cast.community)
    gone = make_thread(author=cast.other_member, community=cast.community, title="Gone thread")
    Thread.objects.filter(pk=gone.pk).update(is_hidden=True)
    client.force_login(cast.member)
    _notify(cast, gone, 150, "gone")
    _notify(cast, readable, 20, "readable")
    assert _badge(client, cast) == "20"


def test_notices_alone_cost_one_query_and_no_thread_filter(client, cast):
    client.force_login(cast.member)
    _notify(cast, None, 7, "notice")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/c/{cast.community.slug}/t/").content.decode()
    assert "data-unread-count>7<" in page
    touching = [q["sql"] for q in queries if "communities_notification" in q["sql"]]
    assert len(touching) == 1


def test_a_reader_who_is_up_to_date_costs_one_query(client, cast):
    client.force_login(cast.member)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/c/{cast.community.slug}/t/").content.decode()
    assert "data-unread-count>" not in page or "data-unread-count><" in page
    touching = [q["sql"] for q in queries if "communities_notification" in q["sql"]]
    assert len(touching) == 1
