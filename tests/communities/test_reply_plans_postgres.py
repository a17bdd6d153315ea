"""A reply reads only its thread and its author: the queries that look at the author's recent
posts (new-member limits, the streak badge) go through the author's index, not every post the
site received that day, so a reply costs the same on a busy site."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Post, Thread
from tests.communities.factories import make_reply, make_thread

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.new_member_limits]


def _busy_day(cast, threads: int = 300, posts_per_thread: int = 10) -> None:
    """Today's posts of somebody else, across many threads."""
    made = Thread.objects.bulk_create(
        Thread(community=cast.community, author=cast.other_member, title=f"T{n}", body="b")
        for n in range(threads)
    )
    Post.objects.bulk_create(
        Post(thread=thread, author=cast.other_member, body="Busy.")
        for thread in made
        for _ in range(posts_per_thread)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE communities_thread")
        cursor.execute("ANALYZE communities_post")


def test_a_replys_reads_of_its_authors_posts_use_an_author_index(cast):
    thread = make_thread(author=cast.other_member, community=cast.community)
    _busy_day(cast)
    with CaptureQueriesContext(connection) as queries:
        make_reply(author=cast.member, thread=thread)
    by_author = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and '"communities_post"."author_id" =' in query["sql"]
    ]
    assert by_author  # the limits and the streak badge ask
    with connection.cursor() as cursor:
        for sql in by_author:
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            # The author's own posts through an author index, never the site's posts of the day
            # filtered by author.
            assert "communities_post_author" in plan, f"{sql}\n{plan}"
            assert "Filter: (author_id =" not in plan, f"{sql}\n{plan}"
            assert "Seq Scan on communities_post" not in plan, plan
            assert "Seq Scan on communities_thread" not in plan, plan
