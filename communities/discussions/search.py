"""Full-text search on PostgreSQL through the stored, GIN-indexed tsvectors (migration 0010).

Ids first: the thread ids matching either index (a thread's title and body, or one of its
replies that is not hidden) are filtered through `visible_threads`, the newest
`CANDIDATE_CAP` of them are ranked, and only the page shown is loaded. The count stops at the
cap ("1,000+ results") instead of counting every match.
"""

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from communities.discussions.models.threads import Thread

CANDIDATE_CAP = 1000
# Constant SQL: the query text is always passed as a parameter.
MATCHING_THREAD_IDS = (
    "SELECT id FROM communities_thread "
    "WHERE search_vector @@ websearch_to_tsquery('english', %s) "
    "UNION SELECT thread_id FROM communities_post "
    "WHERE search_vector @@ websearch_to_tsquery('english', %s) AND NOT is_hidden"
)
RANK = "ts_rank(communities_thread.search_vector, websearch_to_tsquery('english', %s))"


def uses_stored_vectors() -> bool:
    return connection.vendor == "postgresql"


class SearchHits:
    """Ranked thread ids, best first, that a paginator slices into threads.

    `count()` stops at `CANDIDATE_CAP`; `is_capped` says there were more matches.
    """

    def __init__(
        self, ids: list[int], *, is_capped: bool, ranks: list[float] | None = None
    ) -> None:
        self.ids = ids
        self.is_capped = is_capped
        self.ranks = ranks if ranks is not None else [0.0] * len(ids)

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, key: slice) -> list[Thread]:
        ids = self.ids[key]
        by_pk = Thread.objects.in_bulk(ids)
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def __iter__(self):
        return iter(self[:])


def candidate_ids(*, visible: QuerySet[Thread], query: str) -> QuerySet:
    """The newest matching ids among `visible`, one more than the cap (to tell it was hit)."""
    return (
        visible.filter(pk__in=RawSQL(MATCHING_THREAD_IDS, [query, query]))  # noqa: S611
        .order_by("-pk")
        .values_list("pk", flat=True)[: CANDIDATE_CAP + 1]
    )


def ranked_thread_hits(*, visible: QuerySet[Thread], query: str) -> SearchHits:
    """The threads in `visible` matching `query`, best first, at most CANDIDATE_CAP, with
    their `ranks` (ts_rank, comparable with other apps' ranks on /search/)."""
    candidates = list(candidate_ids(visible=visible, query=query))
    is_capped = len(candidates) > CANDIDATE_CAP
    if not candidates:
        return SearchHits([], is_capped=False)
    rank = RawSQL(RANK, [query])  # noqa: S611
    ranked = list(
        Thread.objects.filter(pk__in=candidates[:CANDIDATE_CAP])
        .annotate(rank=rank)
        .order_by("-rank", "-last_activity_at", "-pk")
        .values_list("pk", "rank")
    )
    return SearchHits(
        [pk for pk, _ in ranked], is_capped=is_capped, ranks=[float(r) for _, r in ranked]
    )


def ranked_thread_ids(*, visible: QuerySet[Thread], query: str) -> SearchHits:
    """Ids of the threads in `visible` matching `query`, best first, at most CANDIDATE_CAP."""
    return ranked_thread_hits(visible=visible, query=query)
