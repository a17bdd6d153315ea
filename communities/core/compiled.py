"""Hot, fixed-shape queries compiled to SQL once per process.

Django builds and compiles a queryset to SQL every time it is evaluated. For the few queries
every thread page makes (its thread, its answers and their replies, the viewer's
membership) that cost more CPU than PostgreSQL spends running them. `compiled(key, build,
*values)` builds the queryset once per `key` with stand-ins for `values`, keeps its SQL and
the compiler's map of columns, and afterwards runs that SQL with the real values, as
SQLAlchemy's compiled cache does.

The contract: `key` names everything that changes the query's shape (which filters and
annotations exist, slices, the number of ids in a list); `values` (ints and strings) only
fill its parameters. A stand-in that does not come back as a parameter, or shows in the SQL
text, refuses the query, so a value cannot silently be frozen into the SQL.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

from communities.core.prepared import preparing

# Far from any id, count or page a query carries, yet inside every integer column's range
# (Django drops a comparison with an out-of-range integer from the SQL).
_INT_STAND_IN = 2_013_370_000
_STR_STAND_IN = "\x1etrellis-stand-in-{}\x1e"


class NotCompilable(Exception):
    """The query cannot be kept compiled (a value changed its shape or its SQL text)."""


def _stand_in(n: int, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise NotCompilable(f"value {n} must be an int or a str; put {value!r} in the key")
    return _INT_STAND_IN + n if isinstance(value, int) else _STR_STAND_IN.format(n)


class _Ready:
    """Stands for the query of one evaluation: hands out the kept compiler, and answers
    everything else as the query it was compiled from (the iterables read its columns)."""

    def __init__(self, query, compiler) -> None:
        self._query = query
        self._compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name: str) -> Any:
        return getattr(self._query, name)


_prepared_classes: dict[type, type] = {}


def _prepared_class(compiler_class: type) -> type:
    """`compiler_class` whose as_sql() answers the SQL it was given."""
    if compiler_class not in _prepared_classes:

        def as_sql(self, *args, **kwargs):
            return self.prepared_sql

        _prepared_classes[compiler_class] = type(
            f"Prepared{compiler_class.__name__}", (compiler_class,), {"as_sql": as_sql}
        )
    return _prepared_classes[compiler_class]


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet
    compiler: Any
    sql: str
    params: tuple
    slots: tuple[tuple[int, int], ...]  # (parameter position, value number)

    @classmethod
    def build(cls, build: Callable[..., QuerySet], values: tuple) -> "_Compiled":
        stand_ins = [_stand_in(n, value) for n, value in enumerate(values)]
        queryset = build(*stand_ins)
        if queryset._prefetch_related_lookups:
            raise NotCompilable("prefetch_related runs queries of its own")
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots = []
        for position, param in enumerate(params):
            for n, stand_in in enumerate(stand_ins):
                if type(param) is type(stand_in) and param == stand_in:
                    slots.append((position, n))
        for n, stand_in in enumerate(stand_ins):
            if str(stand_in) in sql or not any(used == n for _, used in slots):
                raise NotCompilable(f"value {n} is not a parameter of the query")
        compiler.__class__ = _prepared_class(type(compiler))
        return cls(queryset, compiler, sql, tuple(params), tuple(slots))

    def run(self, values: tuple) -> list:
        params = list(self.params)
        for position, n in self.slots:
            params[position] = values[n]
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[self.queryset.db]  # this thread's connection
        compiler.prepared_sql = (self.sql, params)
        # A shallow copy by hand: copy.copy() would evaluate the queryset (its __getstate__),
        # and a clone would copy the query, which is only read.
        queryset = object.__new__(type(self.queryset))
        queryset.__dict__.update(self.queryset.__dict__)
        queryset._query = _Ready(self.queryset.query, compiler)
        with preparing(compiler.connection):  # the same text every time: planned once too
            return list(queryset._iterable_class(queryset))


_compiled: dict[tuple, _Compiled] = {}


def compiled(key: tuple, build: Callable[..., QuerySet], *values: Any) -> list:
    """The rows of `build(*values)` (a list), from SQL compiled once per process and `key`.
    `build` must make the same query for any values: everything else belongs in `key`."""
    entry = _compiled.get(key)
    if entry is None:
        entry = _compiled[key] = _Compiled.build(build, values)
    return entry.run(values)
