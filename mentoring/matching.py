"""Optimal assignments, as plain functions over plain data (no Django).

`best_assignment` places mentees on mentors' free seats so that the most mentees are matched
and, among all such assignments, the total score is highest. It is exact: SciPy's
Hungarian-style solver over one column per free seat, where every allowed pair is worth a
bonus larger than any possible sum of scores, so one more match always beats any gain in
score. `best_peer_pairs` does the same on a general graph for peer coaching, where everyone is
both mentor and mentee.
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import numpy as np
from scipy.optimize import linear_sum_assignment

Scores = Sequence[Sequence[float | None]] | np.ndarray


def score_array(scores: Scores) -> np.ndarray:
    """Scores as a float matrix with NaN where the pair is not allowed."""
    if isinstance(scores, np.ndarray):
        matrix = scores.astype(float, copy=False)
    else:
        # numpy turns None into NaN for a float dtype.
        matrix = np.array(scores, dtype=float) if len(scores) else np.zeros((0, 0))
    if matrix.ndim != 2:
        matrix = matrix.reshape(len(scores), -1)
    return matrix


def seat_matrix(matrix: np.ndarray, capacities: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The value matrix over seats (one column per free place) and each seat's mentor."""
    caps = np.maximum(np.asarray(capacities, dtype=int), 0)
    seat_owner = np.repeat(np.arange(len(caps)), caps)
    allowed = ~np.isnan(matrix)
    if allowed.any() and (matrix[allowed] < 0).any():
        raise ValueError("Scores must not be negative.")
    top = float(matrix[allowed].max()) if allowed.any() else 0.0
    # Bigger than any total of scores, so the number of matches comes first.
    bonus = top * min(matrix.shape[0], len(seat_owner)) + 1.0
    value = np.where(allowed, matrix + bonus, 0.0)
    return value[:, seat_owner], seat_owner


def best_assignment(scores: Scores, capacities: Sequence[int]) -> list[int | None]:
    """For each mentee i, the index of its mentor, or None.

    `scores[i][j]` is mentee i's score with mentor j (None or NaN when not allowed),
    `capacities[j]` mentor j's free places. Maximises the number of matched mentees, then the
    total score; never gives a mentor more mentees than its capacity.
    """
    matrix = score_array(scores)
    n_mentees = matrix.shape[0]
    result: list[int | None] = [None] * n_mentees
    if n_mentees == 0 or not len(capacities):
        return result
    if matrix.shape[1] != len(capacities):
        raise ValueError("One capacity per mentor (column of scores) is needed.")
    allowed = ~np.isnan(matrix)
    if allowed.any() and (matrix[allowed] < 0).any():
        raise ValueError("Scores must not be negative.")
    # Only mentees and mentors that can be matched at all take part: a smaller problem.
    rows = np.flatnonzero(allowed.any(axis=1))
    cols = np.flatnonzero(allowed.any(axis=0) & (np.asarray(capacities) > 0))
    if not len(rows) or not len(cols):
        return result
    full = len(rows) == matrix.shape[0] and len(cols) == matrix.shape[1]
    sub = matrix if full else matrix[np.ix_(rows, cols)]
    caps = np.minimum(np.asarray(capacities, dtype=int)[cols], len(rows))
    seat_owner = np.repeat(np.arange(len(cols)), caps)
    bonus = float(np.nanmax(sub)) * min(len(rows), len(seat_owner)) + 1.0
    # One row per seat, one column per mentee, as costs to minimise: laid out so SciPy needs
    # no transposed or negated copy of its own. Not allowed costs 0, like no match at all.
    cost = np.repeat(sub.T, caps, axis=0)
    cost += bonus
    np.negative(cost, out=cost)
    np.nan_to_num(cost, copy=False, nan=0.0)
    picked_seats, picked_rows = linear_sum_assignment(cost)
    for s, r in zip(picked_seats, picked_rows, strict=True):
        mentor = seat_owner[s]
        if not np.isnan(sub[r, mentor]):
            result[int(rows[r])] = int(cols[mentor])
    return result


def best_peer_pairs(scores: Scores) -> list[tuple[int, int]]:
    """Reciprocal pairs (i, j), i < j, for peer coaching: the most pairs, then the highest
    total. `scores[i][j]` is symmetric, None or NaN where i and j may not pair."""
    matrix = score_array(scores)
    graph = nx.Graph()
    n = matrix.shape[0]
    graph.add_nodes_from(range(n))
    for i in range(n):
        for j in range(i + 1, n):
            if not np.isnan(matrix[i, j]):
                # +1 keeps zero-score pairs on the graph as real edges.
                graph.add_edge(i, j, weight=float(matrix[i, j]) + 1.0)
    pairs = nx.max_weight_matching(graph, maxcardinality=True)
    return sorted((min(a, b), max(a, b)) for a, b in pairs)
