"""The thread list takes its page of ids through an index for each sort, not by sorting every
thread of the community (PostgreSQL's plan, on a few thousand threads)."""

import pytest
from django.db import connection

from communities.discussions.selectors.threads import threads_for_community
from communities.models import Thread
from tests.communities.factories import new_community

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("activity", "communities_communi_ba83c6_idx"),
        ("newest", "thread_community_newest"),
        ("votes", "thread_community_votes"),
    ],
)
def test_each_sort_of_the_thread_list_reads_its_index(cast, sort, index):
    other = new_community(name="Other", slug="other")
    Thread.objects.bulk_create(
        Thread(
            community=community,
            author=cast.member,
            kind="discussion",
            title=f"T{n}",
            body="b",
            total_votes=n % 7,
        )
        for community in (cast.community, other)
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE communities_thread")
    page = threads_for_community(viewer=cast.member, community=cast.community, sort=sort)
    plan = page.values_list("pk", flat=True)[:20].explain()
    assert "Seq Scan on communities_thread" not in plan, plan
    assert index in plan, plan
