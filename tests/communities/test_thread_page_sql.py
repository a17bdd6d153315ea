"""The thread page's constant SQL names the tables the models use (a renamed table fails
here, not on a live page) and gives what the ORM expressions it replaced gave."""

import pytest
from django.db.models import Count, Exists, OuterRef

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
    row = Thread.objects.annotate(**selectors._thread_page_annotations(viewer)).get(pk=thread.pk)
    top = Post.objects.filter(thread=thread, parent__isnull=True)
    assert row.answers_all == top.count() == 3
    assert row.answers_visible == top.filter(is_hidden=False).count() == 2
    followed = Exists(Follow.objects.filter(thread=OuterRef("pk"), user_id=viewer.pk))
    assert row.followed_by_viewer == Thread.objects.filter(pk=thread.pk).filter(followed).exists()
    posts = {
        post.pk: post
        for post in selectors._posts_for(viewer, include_hidden=True).filter(thread=thread)
    }
    voted = set(Vote.objects.filter(user=viewer).values_list("post_id", flat=True))
    assert {pk for pk, post in posts.items() if post.has_voted} == voted == {answers[2].pk}
    assert not any(post.has_thanked for post in posts.values())
    assert Post.objects.filter(thread=thread).aggregate(n=Count("pk"))["n"] == len(posts)
