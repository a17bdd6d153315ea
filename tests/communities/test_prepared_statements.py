"""The hot statements are prepared once per connection on PostgreSQL
(`communities.core.prepared`): the same rows as before, Django's query log still showing
each with its values, prepared again after psycopg forgets them, and never prepared when
prepared statements are turned off."""

import itertools
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from communities.core.compiled import compiled
from communities.core.prepared import preparing
from communities.discussions.models.threads import Post, Thread
from communities.discussions.selectors.threads import threads_in_order
from tests.communities.factories import make_reply, make_thread

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

_keys = itertools.count()


@pytest.fixture(autouse=True)
def _persistent_postgres_connection(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    # As in production (DB_CONN_MAX_AGE): only a connection kept between requests prepares.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)


def _key() -> tuple:
    return ("test-prepared", next(_keys))


def _replies_of(thread_id):
    return Post.objects.select_related("author").filter(thread_id=thread_id).order_by("pk")


def _prepared(prefix: str) -> list[tuple[str, int, int]]:
    """This connection's prepared statements starting with `prefix`: (text, generic plans,
    custom plans)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE starts_with(statement, %s)",
            [prefix],
        )
        return cursor.fetchall()


@contextmanager
def _prepared_statements_off():
    connection.ensure_connection()
    raw = connection.connection
    kept = raw.prepare_threshold
    raw.prepare_threshold = None  # what DB_PREPARED_STATEMENTS=0 gives every connection
    try:
        yield
    finally:
        raw.prepare_threshold = kept


def _threads_with_replies(cast, count: int) -> list:
    threads = []
    for n in range(count):
        thread = make_thread(author=cast.member, community=cast.community, title=f"Thread {n}")
        for author in (cast.member, cast.other_member)[: n % 2 + 1]:
            make_reply(author=author, thread=thread)
        threads.append(thread)
    return threads


def test_a_compiled_query_is_prepared_once_and_answers_as_the_orm(cast):
    threads = _threads_with_replies(cast, 3)
    key = _key()
    for thread in threads * 3:
        rows = compiled(key, _replies_of, thread.pk)
        expected = list(_replies_of(thread.pk))
        assert [(row.pk, row.author.username) for row in rows] == [
            (row.pk, row.author.username) for row in expected
        ]
    statements = _prepared('SELECT "communities_post"."id"')
    assert len(statements) == 1  # one statement for nine executions with three values
    _, generic, custom = statements[0]
    assert generic + custom == 9
    assert generic > 0  # PostgreSQL kept one plan for any thread after planning five


def test_the_query_log_shows_each_prepared_statement_with_its_values(cast):
    thread = _threads_with_replies(cast, 1)[0]
    key = _key()
    for _ in range(2):  # the second execution runs the prepared statement by name
        with CaptureQueriesContext(connection) as queries:
            compiled(key, _replies_of, thread.pk)
        (logged,) = queries.captured_queries
        assert f'"communities_post"."thread_id" = {thread.pk}' in logged["sql"]
        assert "$1" not in logged["sql"]


def test_after_a_rollback_the_statement_is_prepared_again(cast):
    threads = _threads_with_replies(cast, 2)
    key = _key()
    compiled(key, _replies_of, threads[0].pk)
    assert _prepared('SELECT "communities_post"."id"')

    def fail_after_reading():
        with transaction.atomic():
            compiled(key, _replies_of, threads[0].pk)
            raise RuntimeError  # a savepoint rolled back: psycopg deallocates what it prepared

    with pytest.raises(RuntimeError):
        fail_after_reading()
    rows = compiled(key, _replies_of, threads[1].pk)
    assert [row.pk for row in rows] == [row.pk for row in _replies_of(threads[1].pk)]
    assert _prepared('SELECT "communities_post"."id"')


def test_turned_off_nothing_is_prepared(cast):
    thread = _threads_with_replies(cast, 1)[0]
    before = _prepared("SELECT")
    with _prepared_statements_off():
        rows = compiled(_key(), _replies_of, thread.pk)
        assert [row.pk for row in rows] == [row.pk for row in _replies_of(thread.pk)]
        with preparing(connection), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM communities_post WHERE thread_id = %s", [1])
    assert _prepared("SELECT") == before


def _row_facts(row) -> dict:
    facts = {field.attname: getattr(row, field.attname) for field in Thread._meta.concrete_fields}
    return facts | {
        "is_unread": row.is_unread,
        "tags": [tag.name for tag in row.tags.all()],
        "community": row.community.name,
        "author": row.author.username,
    }


def test_list_rows_are_prepared_and_equal_the_unprepared_ones(cast):
    threads = _threads_with_replies(cast, 4)
    ids = [thread.pk for thread in threads]
    prepared = threads_in_order(cast.member, ids)
    with _prepared_statements_off():
        unprepared = threads_in_order(cast.member, ids)
    assert [_row_facts(row) for row in prepared] == [_row_facts(row) for row in unprepared]
    assert _prepared('SELECT communities_thread."id"')


def test_ordinary_queries_are_not_prepared(cast):
    _threads_with_replies(cast, 2)
    for _ in range(10):
        list(Post.objects.order_by("pk"))
    assert _prepared('SELECT "communities_post"') == []


def test_a_connection_closed_after_each_request_prepares_nothing(cast, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    thread = _threads_with_replies(cast, 1)[0]
    before = _prepared("SELECT")
    for _ in range(3):
        rows = compiled(_key(), _replies_of, thread.pk)
        assert [row.pk for row in rows] == [row.pk for row in _replies_of(thread.pk)]
    assert _prepared("SELECT") == before
