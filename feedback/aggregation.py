"""Scores into results: pure functions over plain numbers, no Django.

- `median_points`: the ORA2 rule. The median of a criterion's points; with an even count,
  the mean of the two middle values rounded up.
- `aggregate`: per-criterion medians and their total for one submission's reviews, with the
  owner's overrides winning over the median.
- `is_outlier` and `consensus_distance`: how far a review sits from the other reviews of the
  same submission; `OUTLIER_RULE` says the rule in words for the owner's page.
"""

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

OUTLIER_SHARE = 0.25
OUTLIER_RULE = (
    "A review is an outlier when its total differs from the median total of all reviews "
    f"of the same submission by more than {int(OUTLIER_SHARE * 100)}% of the rubric's "
    "maximum points (and by more than 2 points). With two reviews that far apart, both are "
    "flagged: look at which one holds."
)


def median_points(points: Iterable[int]) -> int:
    values = sorted(points)
    if not values:
        raise ValueError("A median needs at least one score.")
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return math.ceil((values[middle - 1] + values[middle]) / 2)


@dataclass(frozen=True)
class Result:
    per_criterion: dict[Hashable, int | None]
    total: int
    review_count: int
    overridden: frozenset = field(default_factory=frozenset)

    @property
    def is_complete(self) -> bool:
        return all(value is not None for value in self.per_criterion.values())


def aggregate(
    reviews: Sequence[Mapping[Hashable, int]],
    criteria: Sequence[Hashable],
    overrides: Mapping[Hashable, int] | None = None,
) -> Result:
    """Each review maps criterion -> points. A criterion nobody scored has no median (None)
    unless the owner overrode it; the total adds what there is."""
    overrides = overrides or {}
    per_criterion: dict[Hashable, int | None] = {}
    for criterion in criteria:
        if criterion in overrides:
            per_criterion[criterion] = overrides[criterion]
            continue
        points = [review[criterion] for review in reviews if criterion in review]
        per_criterion[criterion] = median_points(points) if points else None
    total = sum(value for value in per_criterion.values() if value is not None)
    return Result(
        per_criterion=per_criterion,
        total=total,
        review_count=len(reviews),
        overridden=frozenset(c for c in criteria if c in overrides),
    )


def is_outlier(total: int, all_totals: Sequence[int], max_total: int) -> bool:
    """The rule in `OUTLIER_RULE`; `all_totals` includes this review's own total. A lone
    review is never an outlier."""
    if len(all_totals) < 2:
        return False
    threshold = max(OUTLIER_SHARE * max_total, 2)
    return abs(total - median_points(all_totals)) > threshold


def consensus_distance(
    review: Mapping[Hashable, int], others: Sequence[Mapping[Hashable, int]]
) -> float | None:
    """Mean absolute difference, per criterion, between a review and the median of the other
    reviews of the same submission; None when there is nothing to compare with."""
    gaps = []
    for criterion, points in review.items():
        other_points = [other[criterion] for other in others if criterion in other]
        if other_points:
            gaps.append(abs(points - median_points(other_points)))
    return sum(gaps) / len(gaps) if gaps else None
