"""A page of threads as list rows, in constant SQL, built into model instances without the ORM.

What `select_related("community", "circle", "author")` with `is_unread` and the tags as two
arrays gives, written once: the columns and joins below, and `build_rows` making of each
row what the ORM would (`Model.from_db`, the related objects cached where `select_related`
puts them, the tags where `prefetch_related` does). On the search page compiling the ORM
query cost more than PostgreSQL spends running it (a millisecond of a rare term's five);
here nothing is compiled. `tests/communities/test_search_fast.py` holds the rows equal to
the ORM's, field by field, for every kind of viewer.

Why not the rows in the search statement itself (one round trip): at a million posts the
joined statement took longer to plan than the two statements together (1.9 ms against
0.5 + 0.8), more than the round trip it saved (0.2 ms).
"""

import functools
from collections.abc import Sequence
from typing import cast

from django.db import connection
from django.db.models import ForeignKey, Model

from communities.circles.models import Circle
from communities.core.models.communities import Community
from communities.core.models.people import User
from communities.core.models.tags import Tag
from communities.core.prepared import preparing
from communities.discussions.models.threads import Thread
from communities.discussions.selectors.visits import unread_condition

THREAD = "communities_thread"
# (attribute on the thread, model, alias of its join): what `select_related` follows.
_RELATED: tuple[tuple[str, type[Model], str], ...] = (
    ("community", Community, "row_community"),
    ("circle", Circle, "row_circle"),
    ("author", User, "row_author"),
)


def _fields(model: type[Model]) -> list:
    return list(model._meta.concrete_fields)


def _foreign_key(name: str) -> ForeignKey:
    return cast(ForeignKey, Thread._meta.get_field(name))


def _columns(model: type[Model], alias: str) -> list[str]:
    return [f'{alias}."{field.column}"' for field in _fields(model)]


# A row's tags (ids and names, by name as `Tag` orders them).
TAG_COLUMN = (
    "ARRAY(SELECT tg.{} FROM communities_thread_tags tt JOIN communities_tag tg "
    "ON tg.id = tt.tag_id WHERE tt.thread_id = communities_thread.id ORDER BY tg.name)"
)
# Thread, community, circle and author columns, then the tags; `is_unread` goes between.
_MODEL_COLUMNS = ", ".join(
    _columns(Thread, THREAD)
    + [column for _, model, alias in _RELATED for column in _columns(model, alias)]
)
_TAGS_COLUMNS = f"{TAG_COLUMN.format('id')}, {TAG_COLUMN.format('name')}"
JOINS = " ".join(
    f"LEFT JOIN {model._meta.db_table} {alias} "
    f'ON {alias}."{model._meta.pk.column}" = {THREAD}."{_foreign_key(name).column}"'
    for name, model, alias in _RELATED
)
# Rows by id (in no order), for `threads_in_order`; `{where}` is a condition or TRUE.
ROWS_BY_ID = (
    "SELECT {columns} FROM communities_thread {joins} "
    "WHERE communities_thread.id = ANY(%s) AND ({where})"
)


def columns(viewer) -> tuple[str, list]:
    """The select list of a list row for `viewer` (on `communities_thread` and `JOINS`), and
    its parameters: the model columns, `is_unread`, the tag arrays."""
    unread, params = unread_condition(viewer)
    return f"{_MODEL_COLUMNS}, ({unread}), {_TAGS_COLUMNS}", list(params)


def rows_by_id(viewer, pks: list[int], *, where: str = "TRUE", params: Sequence = ()) -> list:
    """The raw rows of `pks` for which `where` (on `communities_thread`) holds."""
    select, select_params = columns(viewer)
    sql = ROWS_BY_ID.format(columns=select, joins=JOINS, where=where)
    with preparing(connection), connection.cursor() as cursor:
        cursor.execute(sql, [*select_params, pks, *params])
        return cursor.fetchall()


def _converters(model: type[Model], alias: str) -> list:
    """(position, converters) of the fields the ORM converts on reading (none today on
    PostgreSQL; kept so a field that needs it is read as the ORM reads it)."""
    found = []
    for index, field in enumerate(_fields(model)):
        column = field.get_col(alias)
        convert = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if convert:
            found.append((index, convert, column))
    return found


class _Shape:
    """Where each model's values sit in a row, their attribute names and converters."""

    def __init__(self) -> None:
        # (the thread's relation to it or None, model, slice of the row, names, converters,
        # where its primary key is)
        self.models: list[tuple] = []
        start = 0
        sources: list[tuple[str | None, type[Model], str]] = [(None, Thread, THREAD), *_RELATED]
        for name, model, alias in sources:
            fields = _fields(model)
            names = [field.attname for field in fields]
            relation = _foreign_key(name) if name else None
            self.models.append(
                (
                    relation,
                    model,
                    start,
                    start + len(fields),
                    names,
                    _converters(model, alias),
                    start + fields.index(model._meta.pk),
                )
            )
            start += len(fields)
        self.width = start + 3  # is_unread, tag ids, tag names


@functools.cache
def _the_shape() -> _Shape:
    # Built on the first page, not at import: it asks the connection for its converters.
    return _Shape()


def _instance(model: type[Model], values: list, names: list[str], convert: list, db: str):
    for index, converters, column in convert:
        for converter in converters:
            values[index] = converter(values[index], column, connection)
    return model.from_db(db, names, values)


def build_rows(raw: list[Sequence], *, offset: int = 0) -> list[Thread]:
    """Threads from raw rows whose list-row columns start at `offset`: each with its
    community, circle and author as `select_related` leaves them, `is_unread`, and its tags
    where `prefetch_related("tags")` leaves them."""
    shape = _the_shape()
    db = connection.alias
    threads = []
    for row in raw:
        values = list(row[offset : offset + shape.width])
        (_, model, start, end, names, convert, _), *related = shape.models
        thread = _instance(model, values[start:end], names, convert, db)
        for relation, model, start, end, names, convert, key in related:
            if values[key] is None:  # a null foreign key: what the LEFT JOIN gives
                obj = None
            else:
                obj = _instance(model, values[start:end], names, convert, db)
            relation.set_cached_value(thread, obj)
        thread.is_unread, thread.tag_ids, thread.tag_names = values[shape.width - 3 :]
        attach_tag_arrays(thread)
        threads.append(thread)
    return threads


def attach_tag_arrays(row: Thread) -> None:
    """What `prefetch_related("tags")` leaves on a row, so `thread.tags.all` reads it."""
    tags = row.tags.get_queryset()
    tags._result_cache = [
        Tag.from_db(row._state.db, ["id", "name"], tag)
        for tag in zip(row.tag_ids, row.tag_names, strict=True)
    ]
    tags._prefetch_done = True  # type: ignore[attr-defined]
    row._prefetched_objects_cache = {"tags": tags}
