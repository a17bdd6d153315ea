"""A pager for long lists that counts no further than it must: "Page 3 of more than 50"
instead of counting every row on every view, like search's "1,000+"."""

from typing import Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Rows counted at most (50 pages of 20), unless the page asked for lies further on.
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most `cap` rows, or up to one page past the `wanted` one when that is
    further, through a LIMITed subquery (an index walk for an ordered list of ids). When
    more rows exist, `is_capped` is true, the pages known are numbered and Next still leads
    on, so every row stays reachable; there is no "last page" to jump to."""

    def __init__(self, object_list: Any, per_page: int, *, wanted: Any, cap: int | None = None):
        super().__init__(object_list, per_page)
        self.limit = max(cap or COUNT_CAP, (_page_number(wanted) + 1) * per_page)

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.limit + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.limit

    @property
    def known_pages(self) -> int:
        """Pages known to be full: there are more than this many."""
        return self.limit // self.per_page


def _page_number(value: Any) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1
