"""Queries compiled once per process (`communities.core.compiled`) answer exactly what the ORM
answers, for any values, and refuse a query whose shape a value would change."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.core.compiled import NotCompilable, compiled
from communities.core.models.communities import Membership
from communities.discussions.models.threads import Post
from tests.communities.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db

_keys = itertools.count()


def _key(name: str) -> tuple:
    """A key of this test alone: the cache lives as long as the process."""
    return ("test", name, next(_keys))


def _replies_of(thread_id, author_id):
    return (
        Post.objects.select_related("author")
        .filter(thread_id=thread_id)
        .exclude(author_id=author_id)
        .order_by("pk")
    )


def test_each_call_runs_the_kept_sql_with_its_own_values(cast):
    first = make_thread(author=cast.member, community=cast.community)
    second = make_thread(author=cast.member, community=cast.community, title="Second")
    for thread in (first, second):
        for author in (cast.member, cast.other_member, cast.champion):
            make_reply(author=author, thread=thread)
    key = _key("replies")
    for thread, author in itertools.product((first, second), (cast.member, cast.other_member)):
        with CaptureQueriesContext(connection) as queries:
            rows = compiled(key, _replies_of, thread.pk, author.pk)
        assert len(queries) == 1  # compiling runs nothing of its own
        expected = list(_replies_of(thread.pk, author.pk))
        assert [row.pk for row in rows] == [row.pk for row in expected]
        assert [row.author.username for row in rows] == [row.author.username for row in expected]
        assert all(row.thread_id == thread.pk and row.author_id != author.pk for row in rows)


def test_annotations_and_string_values_come_back_as_the_orm_gives_them(cast):
    key = _key("memberships")

    def build(user_id, role):
        return Membership.objects.filter(user_id=user_id, role=role).order_by("pk")

    for user, role in ((cast.member, "member"), (cast.moderator, "moderator")):
        rows = compiled(key, build, user.pk, role)
        assert rows == list(build(user.pk, role))
        assert rows
        assert all(row.role == role for row in rows)
    assert compiled(key, build, cast.member.pk, "moderator") == []


def test_values_lists_and_unions_are_kept_too(cast):
    key = _key("union")

    def build(first, second):
        ids = Membership.objects.filter(user_id=first).values_list("community_id", flat=True)
        return ids.union(
            Membership.objects.filter(user_id=second).values_list("community_id", flat=True)
        )

    assert set(compiled(key, build, cast.member.pk, cast.moderator.pk)) == {cast.community.pk}
    assert compiled(key, build, 0, -1) == []


def test_a_value_that_would_change_the_sql_text_is_refused(cast):
    # A slice is written into the SQL (LIMIT 3), not passed as a parameter: it belongs in the key.
    with pytest.raises(NotCompilable):
        compiled(_key("slice"), lambda n: Post.objects.order_by("pk")[:n], 3)


def test_a_value_the_query_does_not_use_is_refused():
    with pytest.raises(NotCompilable):
        compiled(_key("unused"), lambda pk: Post.objects.all(), 3)


@pytest.mark.parametrize("value", [True, None, 1.5])
def test_values_other_than_ints_and_strings_belong_in_the_key(value):
    with pytest.raises(NotCompilable):
        compiled(_key("kinds"), lambda v: Post.objects.filter(is_hidden=v), value)


def test_queries_with_prefetches_are_refused():
    with pytest.raises(NotCompilable):
        compiled(
            _key("prefetch"), lambda pk: Post.objects.filter(pk=pk).prefetch_related("votes"), 1
        )
