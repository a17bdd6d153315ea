"""The stage engine on hand-made histories: one per stage and each rule's edge. No database."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from communities.health.stages import SnapshotData, Thresholds, propose_stage

TODAY = date(2026, 11, 1)


def week(weeks_ago: int, **values) -> SnapshotData:
    base = {
        "age_days": 400,
        "members": 100,
        "active_members": 40,
        "posts_week": 50,
        "leader_share": 0.15,
        "contributors": 20,
        "answered_by_members_share": 0.8,
        "median_first_answer_hours": 5.0,
        "unanswered_24h": 1,
    }
    base.update(values)
    return SnapshotData(day=TODAY - timedelta(weeks=weeks_ago), **base)


def history(weeks: int, **series) -> list[SnapshotData]:
    """Weekly snapshots, oldest first; each keyword is a function of weeks-ago or a value."""
    rows = []
    for ago in range(weeks - 1, -1, -1):
        values = {
            name: (value(ago) if callable(value) else value) for name, value in series.items()
        }
        values.setdefault("age_days", 400 - ago * 7)
        rows.append(week(ago, **values))
    return rows


def test_no_snapshots_no_proposal():
    assert propose_stage([]) is None


def test_potential_young_and_led_by_managers():
    proposal = propose_stage([week(0, age_days=10, active_members=30, leader_share=0.8)])
    assert proposal.stage == "potential"
    assert "10 days old" in proposal.reason
    assert "80%" in proposal.reason


def test_potential_small_even_when_older():
    proposal = propose_stage(history(8, active_members=6, leader_share=0.7))
    assert proposal.stage == "potential"
    assert "Only 6 members are active" in proposal.reason


def test_potential_edges():
    # Exactly 28 days old with 10 active members is neither young nor small.
    assert propose_stage([week(0, age_days=28, active_members=10, leader_share=0.9)]) is None
    # Young, but managers wrote exactly half: not "most posts".
    assert propose_stage([week(0, age_days=5, active_members=3, leader_share=0.5)]) is None


def growing(ago: int) -> int:
    return 100 - ago * 5  # 80 four weeks ago, 100 now: +25%


def test_coalescing_growth_rising_activity_managers_still_lead():
    proposal = propose_stage(
        history(
            8,
            members=growing,
            posts_week=lambda ago: 30 - ago,
            active_members=20,
            leader_share=0.62,
            age_days=lambda ago: 120 - ago * 7,
        )
    )
    assert proposal.stage == "coalescing"
    assert proposal.reason == (
        "Members grew 25% in 4 weeks (80 to 100), weekly posts rose from 26 to 30 and "
        "managers and moderators wrote 62% of posts: coalescing."
    )


@pytest.mark.parametrize(
    ("members_then", "posts_then", "share", "expected"),
    [
        (90, 20, 0.5, "coalescing"),  # 11% growth
        (91, 20, 0.5, None),  # 9.9% growth: not enough
        (80, 30, 0.5, None),  # posts flat: activity not rising
        (80, 20, 0.30, None),  # managers' share exactly 30%: not "over"
        (80, 20, 0.31, "coalescing"),
    ],
)
def test_coalescing_edges(members_then, posts_then, share, expected):
    snapshots = [
        week(4, members=members_then, posts_week=posts_then, active_members=20, age_days=90),
        week(0, members=100, posts_week=30, active_members=20, leader_share=share, age_days=118),
    ]
    proposal = propose_stage(snapshots)
    assert (proposal.stage if proposal else None) == expected


def test_maturing():
    proposal = propose_stage(
        history(
            8, active_members=30, posts_week=40, leader_share=0.2, age_days=lambda a: 200 - 7 * a
        )
    )
    assert proposal.stage == "maturing"
    assert "30 active members" in proposal.reason
    assert "5.0 hours" in proposal.reason


@pytest.mark.parametrize(
    ("change", "holds"),
    [
        ({"active_members": 14}, False),
        ({"active_members": 15}, True),
        ({"leader_share": 0.30}, False),
        ({"answered_by_members_share": 0.5}, False),
        ({"median_first_answer_hours": 24.0}, False),
        ({"median_first_answer_hours": None}, False),
        ({"posts_week": 9}, False),
        ({"posts_week": 31}, False),  # down from 40 by 22.5%: not steady
        ({"posts_week": 32}, True),  # down 20%: still steady
    ],
)
def test_maturing_edges(change, holds):
    before = week(4, active_members=30, posts_week=40, leader_share=0.2, age_days=170)
    latest = week(0, active_members=30, posts_week=40, leader_share=0.2, age_days=198)
    proposal = propose_stage([before, replace(latest, **change)])
    assert (proposal is not None and proposal.stage == "maturing") is holds


def test_stewardship():
    proposal = propose_stage(history(14, members=lambda a: 200 + a, posts_week=60))
    assert proposal.stage == "stewardship"
    assert "Over a year old" in proposal.reason


@pytest.mark.parametrize(
    ("change", "holds"),
    [
        ({"age_days": 365}, False),
        ({"members": 121}, False),  # +21% in 12 weeks
        ({"members": 120}, True),  # +20%: steady
        ({"posts_week": 39}, False),
        ({"contributors": 9}, False),
        ({"leader_share": 0.2}, False),
    ],
)
def test_stewardship_edges(change, holds):
    before = week(12, members=100, posts_week=50, age_days=400)
    latest = week(0, members=100, posts_week=50, age_days=484)
    proposal = propose_stage([before, replace(latest, **change)])
    assert (proposal is not None and proposal.stage == "stewardship") is holds


def test_transformation_when_active_members_fall():
    proposal = propose_stage(history(24, active_members=lambda a: 50 if a >= 12 else 25))
    assert proposal.stage == "transformation"
    assert proposal.rule == "transformation:active_members"
    assert "Active members fell 50%" in proposal.reason


def test_transformation_when_posts_fall():
    proposal = propose_stage(history(24, posts_week=lambda a: 100 if a >= 12 else 60))
    assert proposal.stage == "transformation"
    assert proposal.rule == "transformation:posts_week"


def test_transformation_edge_39_percent_is_not_decline():
    # Down 39%: not a transformation; the community stays steady enough for stewardship.
    snapshots = history(24, posts_week=lambda a: 100 if a >= 12 else 61)
    proposal = propose_stage(snapshots)
    assert proposal is None or proposal.stage != "transformation"


def test_transformation_when_unanswered_rise_while_contributors_leave():
    snapshots = [
        week(4, unanswered_24h=2, contributors=20),
        week(0, unanswered_24h=6, contributors=15),
    ]
    proposal = propose_stage(snapshots)
    assert proposal.stage == "transformation"
    assert proposal.rule == "transformation:unanswered"
    assert "from 2 to 6" in proposal.reason


def test_unanswered_rising_without_contributors_leaving_is_not_decline():
    snapshots = [
        week(4, unanswered_24h=2, contributors=20),
        week(0, unanswered_24h=6, contributors=17),  # down 15%
    ]
    proposal = propose_stage(snapshots)
    assert proposal is None or proposal.stage != "transformation"


def test_thresholds_are_settings():
    snapshot = [week(0, age_days=40, active_members=30, leader_share=0.8)]
    assert propose_stage(snapshot) is None
    assert propose_stage(snapshot, Thresholds(young_days=60)).stage == "potential"


def test_order_of_snapshots_does_not_matter():
    snapshots = history(24, active_members=lambda a: 50 if a >= 12 else 25)
    assert propose_stage(list(reversed(snapshots))) == propose_stage(snapshots)


def test_a_gap_in_history_does_not_fake_a_trend():
    # The only earlier snapshot is 10 weeks old: no 4-week trend can be read.
    snapshots = [
        week(10, members=50, posts_week=10, active_members=20),
        week(0, members=100, posts_week=30, active_members=20, leader_share=0.6),
    ]
    assert propose_stage(snapshots) is None
