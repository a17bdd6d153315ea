"""The help network, as pure functions over plain data (networkx does the graph work).

A help edge runs from the member who helped (replied, had an answer accepted, was thanked)
to the member helped. Anonymous askers are one node, `ANONYMOUS`, that counts in the totals
but is never named, never a connector and never isolated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

ANONYMOUS = "anonymous"
# An accepted answer or a thank-you says more about help than a reply alone.
REPLY_WEIGHT = 1.0
ACCEPTED_WEIGHT = 2.0
THANKS_WEIGHT = 1.0
TOP_HELPERS = 5
CONNECTORS_SHOWN = 5


@dataclass(frozen=True)
class Help:
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


def help_graph(helps: Iterable[Help]) -> nx.DiGraph:
    """Who helps whom: a directed graph weighted by the help given; self-help is dropped."""
    graph = nx.DiGraph()
    for act in helps:
        if act.helper == act.helped:
            continue
        if graph.has_edge(act.helper, act.helped):
            graph[act.helper][act.helped]["weight"] += act.weight
        else:
            graph.add_edge(act.helper, act.helped, weight=act.weight)
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


def connectors(graph: nx.DiGraph, shown: int = CONNECTORS_SHOWN) -> list[tuple[int, float]]:
    """Members who link otherwise separate groups: the highest betweenness centrality in the
    undirected help graph, above zero, anonymous node excluded. Ties go to the lower id."""
    if graph.number_of_nodes() < 3:
        return []
    scores = nx.betweenness_centrality(graph.to_undirected(), normalized=True)
    ranked = sorted(
        ((node, round(score, 3)) for node, score in scores.items() if node != ANONYMOUS),
        key=lambda item: (-item[1], item[0]),
    )
    return [(node, score) for node, score in ranked if score > 0][:shown]


def reciprocity(graph: nx.DiGraph) -> float:
    """The share of help edges between members that run both ways (the anonymous node can't
    help back, so its edges are left out)."""
    members_only = graph.subgraph(node for node in graph if node != ANONYMOUS)
    if members_only.number_of_edges() == 0:
        return 0.0
    return round(nx.reciprocity(members_only), 3)


def isolated_members(graph: nx.DiGraph, active_member_ids: Iterable[int]) -> list[int]:
    """Active members (askers or readers) who neither helped nor were helped by anyone."""
    return sorted(
        member
        for member in set(active_member_ids)
        if member not in graph or graph.degree(member) == 0
    )


def measure_network(helps: Iterable[Help], active_member_ids: Iterable[int]) -> NetworkMeasures:
    """Every measure of the help network in one pass over the acts of help."""
    helps = list(helps)
    graph = help_graph(helps)
    counts = answers_by_helper(helps)
    return NetworkMeasures(
        helpers=len(counts),
        answers=sum(counts.values()),
        connectors=connectors(graph),
        isolated=isolated_members(graph, active_member_ids),
        reciprocity=reciprocity(graph),
        absence_factor=absence_factor(counts),
        top5_share=top_share(counts),
    )


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
