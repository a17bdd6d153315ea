"""The unread badge counts at most 100 rows: the same one query for 5 and 5,000 unread."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.discussions.models.notifications import NotificationKind
from communities.models import Notification
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
