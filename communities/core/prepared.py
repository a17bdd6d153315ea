"""Statements PostgreSQL plans once per connection: the hot queries of fixed shape.

`compiled` (and the list rows' constant SQL) send the same statement text on every request;
PostgreSQL still planned each one anew, and planning cost more than running: the thread
page's queries took about 1.5 ms to plan and 0.6 ms to run, a search result page's rows
0.7 ms against 0.1. Run inside `preparing(connection)`, a statement is prepared on the
connection the first time (server-side parameters) and executed by name afterwards.
PostgreSQL plans it with the real values for five executions, then keeps a plan for any
values when that plan is estimated to cost no more (`plan_cache_mode = auto`): a statement
whose best plan depends on its values keeps being planned per execution, as before.

Prepared statements live on one server connection, so only persistent connections
(`DB_CONN_MAX_AGE` above 0) prepare: a connection closed after each request would run each
statement once. Django turns them off by default
because a pooler in transaction mode (PgBouncer before 1.21) may hand the next transaction
another server connection; `DB_PREPARED_STATEMENTS=0` does the same here (settings). psycopg
forgets them, and deallocates them on the server, after a rollback or a DROP or ALTER.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.db.backends.base.base import BaseDatabaseWrapper


class _LoggedQuery:
    """What Django's query log reads of a psycopg cursor (`cursor._query.query`), which a
    prepared execution leaves unset: the statement with its values in, as Django's own
    client-side cursors log it, composed only if the log reads it."""

    def __init__(self, raw_connection, sql, params) -> None:
        self._raw_connection = raw_connection
        self._sql = sql
        self._params = params

    @property
    def query(self) -> bytes:
        from psycopg import ClientCursor

        return ClientCursor(self._raw_connection).mogrify(self._sql, self._params).encode()


@cache
def _preparing_cursor_class() -> type:
    # Imported here: the PostgreSQL backend module needs psycopg, which SQLite runs lack.
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        """Django's server-side-binding cursor, preparing every statement it runs."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            super().execute(query, params, prepare=True, binary=binary)
            self._query = _LoggedQuery(self.connection, query, params)
            return self

    return PreparingCursor


@contextmanager
def preparing(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Cursors `connection` opens in the block prepare their statements (on PostgreSQL with
    prepared statements allowed; elsewhere the block runs as it is). Everything else about
    them is Django's own: its wrappers, query logging and time zone."""
    # A connection closed at the end of the request would run each statement once: preparing
    # it there costs a round trip and saves nothing.
    if connection.vendor != "postgresql" or connection.settings_dict["CONN_MAX_AGE"] == 0:
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # turned off for this database
        yield
        return
    previous = raw.cursor_factory
    raw.cursor_factory = _preparing_cursor_class()
    try:
        yield
    finally:
        raw.cursor_factory = previous
