"""The thread page's constant SQL names the tables the models use (a renamed table fails
here, not on a live page) and gives what the ORM expressions it replaced gave."""

import pytest
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from communities.discussions.selectors import threads as selectors
from communities.discussions.services.votes import vote
from communities.models import Follow, Post, Thanks, Thread, Vote
from tests.communities.factories import Cast, make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_the_constant_sql_names_the_models_tables():
    assert f"FROM {Vote._meta.db_table} " in selectors._VIEWER_VOTED
    assert f"FROM {Thanks._meta.db_table} " in selectors._VIEWER_THANKED
    assert f"FROM {Follow._meta.db_table} " in selectors._FOLLOWED
    for sql in (selectors._ANSWERS_ALL, selectors._ANSWERS_VISIBLE):
        assert f"FROM {Post._meta.db_table} " in sql
        assert f"{Thread._meta.db_table}.id" in sql
    assert f"{Post._meta.db_table}.id" in selectors._VIEWER_VOTED


def test_the_page_facts_equal_a_fresh_orm_count():
    cast = Cast()
    thread = make_thread(author=cast.member, community=cast.community)
    answers = [make_reply(author=cast.other_member, thread=thread) for _ in range(3)]
    make_reply(author=cast.member, thread=thread, parent=answers[0])
    Post.objects.filter(pk=answers[1].pk).update(is_hidden=True)
    vote(voter=cast.member, post=answers[2])
    viewer = cast.member
    row = Thread.objects.annotate(**selectors._thread_page_annotations(viewer.pk)).get(pk=thread.pk)
    top = Post.objects.filter(thread=thread, parent__isnull=True)
    assert row.answers_all == top.count() == 3
    assert row.answers_visible == top.filter(is_hidden=False).count() == 2
    followed = Exists(Follow.objects.filter(thread=OuterRef("pk"), user_id=viewer.pk))
    assert row.followed_by_viewer == Thread.objects.filter(pk=thread.pk).filter(followed).exists()
    posts = {
        post.pk: post
        for post in selectors._posts_for(viewer.pk, include_hidden=True).filter(thread=thread)
    }
    voted = set(Vote.objects.filter(user=viewer).values_list("post_id", flat=True))
    assert {pk for pk, post in posts.items() if post.has_voted} == voted == {answers[2].pk}
    assert not any(post.has_thanked for post in posts.values())
    assert Post.objects.filter(thread=thread).aggregate(n=Count("pk"))["n"] == len(posts)


def test_on_postgresql_the_thread_page_reads_its_tags_in_the_thread_query(client):
    if connection.vendor != "postgresql":
        pytest.skip("the tag arrays are PostgreSQL's")
    cast = Cast()
    thread = make_thread(
        author=cast.member, community=cast.community, tag_names=["zebra", "apple", "mango"]
    )
    client.force_login(cast.other_member)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/c/{cast.community.slug}/t/{thread.pk}/").content.decode()
    tag_reads = [q["sql"] for q in queries if "communities_thread_tags" in q["sql"]]
    assert len(tag_reads) == 1
    assert tag_reads[0].startswith('SELECT "communities_thread"')
    shown = [html.index(f">{name}<") for name in ("apple", "mango", "zebra")]
    assert shown == sorted(shown)  # by name, as `Tag` orders them
    row = selectors.thread_for_viewer(
        viewer=cast.other_member, thread_id=thread.pk, community=cast.community
    )
    assert [tag.name for tag in row.tags.all()] == ["apple", "mango", "zebra"]
    assert {tag.pk for tag in row.tags.all()} == set(thread.tags.values_list("pk", flat=True))
