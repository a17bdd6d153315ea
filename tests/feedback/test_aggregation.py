"""Medians, totals and outliers, on plain numbers."""

import pytest

from feedback.aggregation import (
    aggregate,
    consensus_distance,
    is_outlier,
    median_points,
)


@pytest.mark.parametrize(
    ("points", "median"),
    [
        ([3], 3),
        ([1, 5, 3], 3),
        ([1, 2], 2),
        ([2, 3], 3),
        ([0, 1, 4, 5], 3),
        ([4, 4], 4),
        ([1, 4], 3),
    ],
)
def test_ora2_median_rounds_the_even_mean_up(points, median):
    assert median_points(points) == median


def test_median_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="at least one"):
        median_points([])


def test_aggregate_gives_per_criterion_medians_and_total():
    reviews = [{"a": 1, "b": 4}, {"a": 3, "b": 2}, {"a": 2, "b": 2}]
    result = aggregate(reviews, ["a", "b"])
    assert result.per_criterion == {"a": 2, "b": 2}
    assert result.total == 4
    assert result.review_count == 3


def test_override_wins_over_the_median():
    result = aggregate([{"a": 1}, {"a": 1}], ["a", "b"], {"a": 4})
    assert result.per_criterion == {"a": 4, "b": None}
    assert result.total == 4
    assert result.overridden == {"a"}
    assert not result.is_complete


def test_outlier_rule():
    assert is_outlier(2, [10, 9, 2], max_total=12)
    assert not is_outlier(10, [10, 9, 2], max_total=12)
    assert not is_outlier(8, [10, 9, 8], max_total=12)
    assert not is_outlier(0, [0], max_total=12), "a lone review is never an outlier"
    assert not is_outlier(2, [2, 4, 4], max_total=4), "more than 2 points apart"
    assert is_outlier(0, [0, 12], max_total=12), "two far apart: both are looked at"


def test_consensus_distance():
    assert consensus_distance({"a": 1, "b": 3}, [{"a": 3, "b": 3}, {"a": 3, "b": 3}]) == 1
    assert consensus_distance({"a": 1}, []) is None
