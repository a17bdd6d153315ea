"""The 90-9-1 split, the median first answer and the help network on plain data."""

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import networkx as nx

from communities.health.metrics import (
    Question,
    median_first_answer_hours,
    participation_split,
    share,
    unanswered_after,
)
from communities.health.network import (
    ANONYMOUS,
    Help,
    absence_factor,
    help_graph,
    layout,
    measure_network,
    picture_graph,
    top_share,
)

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def test_split_counts_lurkers_contributors_and_creators():
    split = participation_split([1, 2, 3, 4, 5], {2: 1, 3: 4, 4: 5, 5: 12, 99: 30})
    assert (split.lurkers, split.contributors, split.creators) == (1, 2, 2)
    assert split.total == 5


def test_split_of_nobody():
    assert participation_split([], {}).total == 0


def test_median_not_mean_and_asker_replies_do_not_count():
    questions = [
        Question(T0, 1, ((1, hours(0.5)), (2, hours(1)))),  # asker's own reply ignored: 1 h
        Question(T0, 1, ((3, hours(2)),)),  # 2 h
        Question(T0, 1, ((3, hours(100)),)),  # 100 h: would drag a mean to 34 h
        Question(T0, 1, ()),  # unanswered: not part of the median
    ]
    assert median_first_answer_hours(questions) == 2.0


def test_median_of_even_count_and_of_nothing():
    questions = [Question(T0, 1, ((2, hours(1)),)), Question(T0, 1, ((2, hours(3)),))]
    assert median_first_answer_hours(questions) == 2.0
    assert median_first_answer_hours([Question(T0, 1, ((1, hours(1)),))]) is None


def test_anonymous_asker_is_answered_by_anyone_else():
    # The asker id is kept for the rule, never shown: a reply by someone else answers it.
    assert median_first_answer_hours([Question(T0, None, ((2, hours(4)),))]) == 4.0


def test_unanswered_after_24_hours_edge():
    now = hours(24)
    questions = [
        Question(T0, 1, ()),  # exactly 24 h old and unanswered: counts
        Question(hours(1), 1, ()),  # 23 h old: not yet
        Question(T0, 1, ((2, hours(30)),)),  # answered after `now`: still unanswered now
        Question(T0, 1, ((2, hours(3)),)),
    ]
    assert unanswered_after(questions, now=now) == 2


def test_share_of_nothing_is_zero():
    assert share(3, 0) == 0.0
    assert share(1, 3) == 0.333


def test_absence_factor_and_top_share():
    assert absence_factor(Counter()) == 0
    assert absence_factor(Counter({1: 10, 2: 5, 3: 5})) == 1  # half exactly: one person
    assert absence_factor(Counter({1: 4, 2: 3, 3: 3})) == 2
    assert absence_factor(Counter(dict.fromkeys(range(10), 1))) == 5
    counts = Counter(dict.fromkeys(range(10), 1))
    assert top_share(counts) == 0.5
    assert top_share(Counter()) == 0.0


def two_groups_joined_by(bridge: int) -> list[Help]:
    """Members 1-3 help each other, 5-7 help each other; `bridge` helps in both groups."""
    helps = [Help(1, 2), Help(2, 3), Help(3, 1), Help(5, 6), Help(6, 7), Help(7, 5)]
    return [*helps, Help(bridge, 1), Help(bridge, 5)]


def test_connector_links_two_groups():
    measures = measure_network(two_groups_joined_by(4), active_member_ids=range(1, 9))
    assert measures.connectors[0][0] == 4
    assert measures.isolated == [8]  # active, never helped nor helped anyone
    assert measures.helpers == 7
    assert measures.answers == 8


def test_anonymous_node_counts_but_is_never_named():
    helps = [Help(1, ANONYMOUS), Help(2, ANONYMOUS), Help(1, 3), Help(2, 4)]
    measures = measure_network(helps, active_member_ids=[1, 2, 3, 4])
    assert measures.answers == 4
    named = {member for member, _ in measures.connectors} | set(measures.isolated)
    assert ANONYMOUS not in named
    assert ANONYMOUS in help_graph(helps)


def test_reciprocity_among_members_only():
    helps = [Help(1, 2), Help(2, 1), Help(1, 3), Help(3, ANONYMOUS)]
    # Members' edges: 1->2, 2->1, 1->3; two of three run both ways.
    assert measure_network(helps, []).reciprocity == 0.667


def test_reciprocity_is_networkx_overall_reciprocity():
    rng = random.Random(3)
    helps = [Help(rng.randrange(30), rng.randrange(30)) for _ in range(200)]
    expected = nx.overall_reciprocity(help_graph(helps))
    assert measure_network(helps, []).reciprocity == round(expected, 3)


def test_self_help_and_thanks():
    helps = [Help(1, 1), Help(2, 1, weight=1.0, is_answer=False)]
    measures = measure_network(helps, [1, 2])
    assert measures.answers == 0
    assert measures.isolated == []  # the thank-you connects them


def test_layout_is_stable_and_in_the_unit_square():
    graph = help_graph(two_groups_joined_by(4))
    first, second = layout(graph), layout(graph)
    assert first == second
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in first.values())
    assert layout(help_graph([])) == {}


def test_large_graphs_are_sampled_and_drawn_in_part():
    # A ring of 200 members with one hub: the hub stays the first connector when sampled.
    helps = [Help(n, (n + 1) % 200) for n in range(200)] + [Help(999, n) for n in range(0, 200, 2)]
    graph = help_graph(helps)
    measures = measure_network(helps, range(200))
    assert measures.connectors[0][0] == 999
    part = picture_graph(graph, keep=[7], max_nodes=20)
    assert part.number_of_nodes() == 21
    assert 999 in part
    assert 7 in part
    assert picture_graph(graph, max_nodes=500) is graph
