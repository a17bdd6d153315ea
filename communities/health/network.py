"""The help network, as pure functions over plain data (networkx does the graph work).

A help edge runs from the member who helped (replied, had an answer accepted, was thanked)
to the member helped. Anonymous askers are one node, `ANONYMOUS`, that counts in the totals
but is never named, never a connector and never isolated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import networkx as nx

ANONYMOUS = "anonymous"
# An accepted answer or a thank-you says more about help than a reply alone.
REPLY_WEIGHT = 1.0
ACCEPTED_WEIGHT = 2.0
THANKS_WEIGHT = 1.0
TOP_HELPERS = 5
CONNECTORS_SHOWN = 5
# Betweenness is estimated from this many sampled source nodes (networkx's `k`), so a
# community of thousands costs about what one of a hundred does; smaller graphs are exact.
BETWEENNESS_SAMPLES = 10
PICTURE_NODES = 120


class Help(NamedTuple):
    """One act of help: `helper` replied to (or was accepted or thanked by) `helped`."""

    helper: int
    helped: int | str  # a member id, or ANONYMOUS
    weight: float = REPLY_WEIGHT
    is_answer: bool = True  # replies and accepted answers count as answers; thanks don't


@dataclass(frozen=True)
class NetworkMeasures:
    helpers: int = 0
    answers: int = 0
    connectors: list[tuple[int, float]] = field(default_factory=list)
    isolated: list[int] = field(default_factory=list)
    reciprocity: float = 0.0
    absence_factor: int = 0
    top5_share: float = 0.0

    def as_dict(self) -> dict:
        return {
            "helpers": self.helpers,
            "answers": self.answers,
            "connectors": [[member, score] for member, score in self.connectors],
            "isolated": list(self.isolated),
            "reciprocity": self.reciprocity,
            "absence_factor": self.absence_factor,
            "top5_share": self.top5_share,
        }


def help_weights(helps: Iterable[Help]) -> Counter:
    """Help given per (helper, helped) pair, summed; self-help is dropped."""
    weights: Counter = Counter()
    for act in helps:
        if act.helper != act.helped:
            weights[act.helper, act.helped] += act.weight
    return weights


def help_graph(helps: Iterable[Help]) -> nx.DiGraph:
    """Who helps whom: a directed graph weighted by the help given; self-help is dropped."""
    graph = nx.DiGraph()
    graph.add_weighted_edges_from(
        (helper, helped, weight) for (helper, helped), weight in help_weights(helps).items()
    )
    return graph


def answers_by_helper(helps: Iterable[Help]) -> Counter:
    counts: Counter = Counter()
    for act in helps:
        if act.is_answer and act.helper != act.helped:
            counts[act.helper] += 1
    return counts


def absence_factor(answer_counts: Counter) -> int:
    """CHAOSS Contributor Absence Factor: the fewest helpers who together give at least half
    of all answers (1 means one person's absence would halve the help)."""
    total = sum(answer_counts.values())
    if total == 0:
        return 0
    running = 0
    for rank, (_, count) in enumerate(answer_counts.most_common(), start=1):
        running += count
        if running * 2 >= total:
            return rank
    return len(answer_counts)  # pragma: no cover - the loop always returns


def top_share(answer_counts: Counter, top: int = TOP_HELPERS) -> float:
    """The share of all answers given by the `top` most helpful members."""
    total = sum(answer_counts.values())
    if total == 0:
        return 0.0
    return round(sum(count for _, count in answer_counts.most_common(top)) / total, 3)


def connectors(graph: nx.Graph, shown: int = CONNECTORS_SHOWN) -> list[tuple[int, float]]:
    """Members who link otherwise separate groups: the highest betweenness centrality in the
    undirected help graph, above zero, anonymous node excluded. Ties go to the lower id."""
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    if undirected.number_of_nodes() < 3:
        return []
    samples = BETWEENNESS_SAMPLES if undirected.number_of_nodes() > BETWEENNESS_SAMPLES else None
    scores = nx.betweenness_centrality(undirected, k=samples, normalized=True, seed=7)
    ranked = sorted(
        ((node, round(score, 3)) for node, score in scores.items() if node != ANONYMOUS),
        key=lambda item: (-item[1], item[0]),
    )
    return [(node, score) for node, score in ranked if score > 0][:shown]


def reciprocity(weights: Counter) -> float:
    """The share of help edges between members that run both ways (the anonymous node can't
    help back, so its edges are left out). The same figure as networkx's
    `overall_reciprocity` of the member graph, read straight off the edge set, which is
    several times faster than copying the graph for it."""
    pairs = {pair for pair in weights if ANONYMOUS not in pair}
    if not pairs:
        return 0.0
    both_ways = sum(1 for helper, helped in pairs if (helped, helper) in pairs)
    return round(both_ways / len(pairs), 3)


def isolated_members(graph: nx.Graph, active_member_ids: Iterable[int]) -> list[int]:
    """Active members (askers or readers) who neither helped nor were helped by anyone."""
    return sorted(
        member
        for member in set(active_member_ids)
        if member not in graph or graph.degree(member) == 0
    )


def measure_network(helps: Iterable[Help], active_member_ids: Iterable[int]) -> NetworkMeasures:
    """Every measure of the help network in one pass over the acts of help."""
    helps = list(helps)
    weights = help_weights(helps)
    undirected = nx.Graph()
    undirected.add_edges_from(weights)
    counts = answers_by_helper(helps)
    return NetworkMeasures(
        helpers=len(counts),
        answers=sum(counts.values()),
        connectors=connectors(undirected),
        isolated=isolated_members(undirected, active_member_ids),
        reciprocity=reciprocity(weights),
        absence_factor=absence_factor(counts),
        top5_share=top_share(counts),
    )


def picture_graph(graph: nx.DiGraph, *, keep=(), max_nodes: int = PICTURE_NODES) -> nx.DiGraph:
    """The part of the graph worth drawing: the `max_nodes` members who give and get the most
    help, plus any node in `keep` (the connectors)."""
    if graph.number_of_nodes() <= max_nodes:
        return graph
    ranked = sorted(graph.degree(weight="weight"), key=lambda item: (-item[1], str(item[0])))
    chosen = {node for node, _ in ranked[:max_nodes]} | {node for node in keep if node in graph}
    return graph.subgraph(chosen).copy()


def layout(graph: nx.DiGraph, *, seed: int = 7) -> dict[int | str, tuple[float, float]]:
    """Positions in [0, 1] x [0, 1] for drawing the graph, the same for the same graph."""
    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_nodes() == 1:
        return {next(iter(graph)): (0.5, 0.5)}
    positions = nx.spring_layout(graph.to_undirected(), seed=seed, weight="weight")
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {
        node: (
            round(float((x - min(xs)) / span_x), 4),
            round(float((y - min(ys)) / span_y), 4),
        )
        for node, (x, y) in positions.items()
    }
