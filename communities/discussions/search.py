"""Full-text search on PostgreSQL through one GIN-indexed document per thread.

A thread's document is its stored `search_vector` (title weighted A, body B; migration 0011)
joined with `replies_vector`, the lexemes of its replies that are not hidden, which triggers
keep current in each write's transaction (migration 0020). One index on the thread table then
answers a query, however many replies match it.

Ids first: the newest `CANDIDATE_CAP` matching ids among `visible_threads`, then only those
ranked, then only the page shown loaded. PostgreSQL picks the path from its estimate of the
term's frequency: a rare term through the GIN index, a frequent one by walking the primary key
newest first with the match as a filter, stopping at the cap. The count stops at the cap
("1,000+ results") instead of counting every match.

`thread_hits` makes all of that one statement: the match, the visibility rule as a plain SQL
condition (`selectors.visible_sql`), the filters, the cap and the rank of the candidates
alone (a subquery with its LIMIT, so `ts_rank` runs on at most the cap, never on every match).
"""

from collections.abc import Callable

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from communities.discussions.models.threads import Thread

CANDIDATE_CAP = 1000
# Constant SQL: the query text is always passed as a parameter.
# The expression is the one the GIN index of migration 0020 is built on, word for word.
MATCHES = (
    "(communities_thread.search_vector || communities_thread.replies_vector) "
    "@@ websearch_to_tsquery('english', %s)"
)
# Every thread's reply lexemes recomputed in one statement, for a bulk load made with the
# triggers of migration 0020 disabled (as a restore or a benchmark does).
REBUILD_REPLIES_VECTORS = (
    "UPDATE communities_thread t SET replies_vector = coalesce(r.lexemes, '') FROM ("
    "  SELECT th.id, ("
    "    SELECT array_to_tsvector(array_agg(DISTINCT u.lexeme))"
    "    FROM communities_post p CROSS JOIN LATERAL unnest(p.search_vector) u"
    "    WHERE p.thread_id = th.id AND NOT p.is_hidden"
    "  ) AS lexemes FROM communities_thread th"
    ") r WHERE t.id = r.id"
)
REPLIES_TRIGGERS = ("insert", "change", "delete")
RANK = "ts_rank(communities_thread.search_vector, websearch_to_tsquery('english', %s))"
# Ids and ranks of the newest CANDIDATE_CAP (+1) matches that pass `{where}`, best first.
# The inner query is what `candidate_ids` builds; its LIMIT keeps ts_rank to the candidates.
HITS = (
    "SELECT id, ts_rank(search_vector, websearch_to_tsquery('english', %s)) AS rank "  # noqa: S608 (constants)
    "FROM (SELECT communities_thread.id, communities_thread.search_vector, "
    "communities_thread.last_activity_at FROM communities_thread "
    f"WHERE {MATCHES} AND {{where}} ORDER BY communities_thread.id DESC LIMIT %s) AS candidates "
    "ORDER BY rank DESC, last_activity_at DESC, id DESC"
)


def uses_stored_vectors() -> bool:
    return connection.vendor == "postgresql"


def set_replies_triggers(*, enabled: bool) -> None:
    """Switch the triggers keeping `replies_vector` current on or off, for a bulk load; call
    `rebuild_replies_vectors` after turning them back on."""
    action = "ENABLE" if enabled else "DISABLE"
    with connection.cursor() as cursor:
        # A table with pending (deferred) foreign-key checks can't be altered: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for name in REPLIES_TRIGGERS:
            trigger = f"communities_post_replies_vector_{name}"
            cursor.execute(f"ALTER TABLE communities_post {action} TRIGGER {trigger}")


def rebuild_replies_vectors() -> None:
    with connection.cursor() as cursor:
        cursor.execute(REBUILD_REPLIES_VECTORS)


class SearchHits:
    """Ranked thread ids, best first, that a paginator slices into threads.

    `count()` stops at `CANDIDATE_CAP`; `is_capped` says there were more matches.
    """

    def __init__(
        self,
        ids: list[int],
        *,
        is_capped: bool,
        ranks: list[float] | None = None,
        load: Callable[[list[int]], list[Thread]] | None = None,
    ) -> None:
        self.ids = ids
        self.is_capped = is_capped
        self.ranks = ranks if ranks is not None else [0.0] * len(ids)
        # How a slice of ids becomes threads: by default bare rows; `search_threads` gives
        # the viewer's list rows, so the page it slices is loaded once, ready to show.
        self._load = load

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, key: slice) -> list[Thread]:
        ids = self.ids[key]
        if self._load is not None:
            return self._load(ids)
        by_pk = Thread.objects.in_bulk(ids)
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def __iter__(self):
        return iter(self[:])


def candidate_ids(*, visible: QuerySet[Thread], query: str) -> QuerySet:
    """The newest matching ids among `visible`, one more than the cap (to tell it was hit)."""
    return (
        visible.filter(RawSQL(MATCHES, [query], output_field=BooleanField()))  # noqa: S611
        .order_by("-pk")
        .values_list("pk", flat=True)[: CANDIDATE_CAP + 1]
    )


def thread_hits(
    *, where: str, params: list, query: str, load: Callable[[list[int]], list[Thread]] | None = None
) -> SearchHits:
    """The threads matching `query` for which the SQL condition `where` (on
    `communities_thread`, with `params`) holds, best first, at most CANDIDATE_CAP, with their
    ranks: one statement, the same hits as ranking the ids of `candidate_ids` over the same rows."""
    with connection.cursor() as cursor:
        cursor.execute(HITS.format(where=where), [query, query, *params, CANDIDATE_CAP + 1])
        rows = cursor.fetchall()
    is_capped = len(rows) > CANDIDATE_CAP
    if is_capped:
        # The one past the cap is the oldest candidate (the inner query keeps the newest).
        oldest = min(pk for pk, _ in rows)
        rows = [row for row in rows if row[0] != oldest]
    return SearchHits(
        [pk for pk, _ in rows], is_capped=is_capped, ranks=[float(r) for _, r in rows], load=load
    )
