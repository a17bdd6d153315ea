"""Full-text search of articles on PostgreSQL through a stored, GIN-indexed tsvector
(migration 0005), ranked with the same `ts_rank` as threads so that /search/ can put both in
one list. Elsewhere (SQLite) Wagtail's search backend answers.

The vector is written when an article is published (`refresh_search_vectors`): the title
(weight A), the summary (B) and the strings of the StreamField body (C).
"""

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

CANDIDATE_CAP = 1000
TABLE = "knowledge_articlepage"
# One statement for the migration's backfill, each publish, and the benchmark's bulk load.
REFRESH_SQL = (
    f"UPDATE {TABLE} AS article SET search_vector = "  # noqa: S608
    "setweight(to_tsvector('english', page.title), 'A') || "
    "setweight(to_tsvector('english', article.summary), 'B') || "
    "setweight(jsonb_to_tsvector('english', article.body::jsonb, '[\"string\"]'), 'C') "
    "FROM wagtailcore_page AS page WHERE page.id = article.page_ptr_id"
)
MATCHING_IDS = (
    f"SELECT page_ptr_id FROM {TABLE} "  # noqa: S608
    "WHERE search_vector @@ websearch_to_tsquery('english', %s)"
)
RANK = f"ts_rank({TABLE}.search_vector, websearch_to_tsquery('english', %s))"


def uses_stored_vectors() -> bool:
    return connection.vendor == "postgresql"


def refresh_search_vectors(page_ids=None) -> None:
    """Recompute the stored vector of the given articles (all of them when None)."""
    if not uses_stored_vectors():
        return
    with connection.cursor() as cursor:
        if page_ids is None:
            cursor.execute(REFRESH_SQL)
        else:
            cursor.execute(REFRESH_SQL + " AND article.page_ptr_id = ANY(%s)", [list(page_ids)])


def ranked_article_hits(*, readable: QuerySet, query: str) -> list[tuple[float, int]]:
    """(rank, id) of the articles in `readable` matching `query`, best first, at most
    CANDIDATE_CAP; ranks compare with `communities`' thread ranks."""
    return [
        (float(rank), pk)
        for pk, rank in readable.filter(pk__in=RawSQL(MATCHING_IDS, [query]))  # noqa: S611
        .annotate(rank=RawSQL(RANK, [query]))  # noqa: S611
        .order_by("-rank", "-pk")
        .values_list("pk", "rank")[:CANDIDATE_CAP]
    ]
