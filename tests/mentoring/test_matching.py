"""The matching core: most matched mentees first, then the highest total score, exactly."""

import itertools
import random

import numpy as np
import pytest

from mentoring.matching import best_assignment, best_peer_pairs


def brute_force(scores, capacities):
    """The lexicographic optimum (count, total) by trying every assignment."""
    n, m = len(scores), len(capacities)
    best = (-1, -1.0)
    for choice in itertools.product([None, *range(m)], repeat=n):
        load = [0] * m
        ok = True
        total = 0.0
        for i, j in enumerate(choice):
            if j is None:
                continue
            if scores[i][j] is None:
                ok = False
                break
            load[j] += 1
            total += scores[i][j]
        if ok and all(load[j] <= capacities[j] for j in range(m)):
            count = sum(c is not None for c in choice)
            best = max(best, (count, round(total, 6)))
    return best


def value_of(assignment, scores, capacities):
    load = [0] * len(capacities)
    total = 0.0
    for i, j in enumerate(assignment):
        if j is not None:
            assert scores[i][j] is not None, "a forbidden pair was assigned"
            load[j] += 1
            total += scores[i][j]
    assert all(load[j] <= capacities[j] for j in range(len(capacities))), "over capacity"
    return sum(j is not None for j in assignment), round(total, 6)


def test_greedy_takes_the_best_pair_and_loses_a_match():
    # Greedy gives mentor 0 to mentee 0 (score 10) and leaves mentee 1 with nobody.
    scores = [[10.0, 9.0], [8.0, None]]
    assert best_assignment(scores, [1, 1]) == [1, 0]


def test_greedy_loses_score_among_equal_counts():
    # Greedy (first-come) gives mentee 0 its best (9); the optimum trades that for 8 + 8.
    scores = [[9.0, 8.0], [8.0, 1.0]]
    assert best_assignment(scores, [1, 1]) == [1, 0]


def test_more_matches_beat_a_higher_total():
    # One mentee with 100 or two mentees with 1 each: two matches win.
    scores = [[100.0, None], [1.0, None], [None, 1.0]]
    result = best_assignment(scores, [1, 1])
    assert result.count(None) == 1
    assert result[2] == 1


def test_capacity_is_respected_and_used():
    scores = [[5.0], [4.0], [3.0], [2.0]]
    assert best_assignment(scores, [2]) == [0, 0, None, None]


def test_not_allowed_everywhere_and_empty_inputs():
    assert best_assignment([[None, None]], [1, 1]) == [None]
    assert best_assignment([], [1]) == []
    assert best_assignment([[1.0]], [0]) == [None]


def test_one_capacity_per_mentor_is_required():
    with pytest.raises(ValueError, match="One capacity per mentor"):
        best_assignment([[1.0, 2.0]], [1])


@pytest.mark.parametrize("seed", range(40))
def test_random_instances_match_brute_force(seed):
    rng = random.Random(seed)
    n, m = rng.randint(1, 5), rng.randint(1, 3)
    scores = [
        [None if rng.random() < 0.3 else float(rng.randint(0, 20)) for _ in range(m)]
        for _ in range(n)
    ]
    capacities = [rng.randint(0, 2) for _ in range(m)]
    result = best_assignment(scores, capacities)
    assert value_of(result, scores, capacities) == brute_force(scores, capacities)


def test_numpy_input_with_nan_is_accepted():
    scores = np.array([[1.0, np.nan], [np.nan, 2.0]])
    assert best_assignment(scores, [1, 1]) == [0, 1]


def test_peer_pairs_prefer_more_pairs_over_one_heavy_pair():
    # 0-1 is worth 100, but 0-2 and 1-3 make two pairs.
    nan = None
    scores = [
        [nan, 100.0, 1.0, nan],
        [100.0, nan, nan, 1.0],
        [1.0, nan, nan, nan],
        [nan, 1.0, nan, nan],
    ]
    assert best_peer_pairs(scores) == [(0, 2), (1, 3)]


def test_peer_pairs_take_the_heaviest_perfect_matching():
    scores = [
        [None, 5.0, 1.0, 1.0],
        [5.0, None, 1.0, 1.0],
        [1.0, 1.0, None, 5.0],
        [1.0, 1.0, 5.0, None],
    ]
    assert best_peer_pairs(scores) == [(0, 1), (2, 3)]
