"""The stage engine: a pure function over a community's recent daily snapshots that proposes
a lifecycle stage and says why in a sentence a manager understands.

Rules are checked in this order, and the first that holds wins: transformation (a sustained
decline), potential, stewardship, maturing, coalescing. No Django here; the thresholds come
in as a `Thresholds` (the service builds it from the `TRELLIS_HEALTH_*` settings).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from communities.health.metrics import change

POTENTIAL = "potential"
COALESCING = "coalescing"
MATURING = "maturing"
STEWARDSHIP = "stewardship"
TRANSFORMATION = "transformation"
# The same values as the community's stage field, in lifecycle order.
STAGE_CHOICES = [
    (POTENTIAL, "Potential"),
    (COALESCING, "Coalescing"),
    (MATURING, "Maturing"),
    (STEWARDSHIP, "Stewardship"),
    (TRANSFORMATION, "Transformation"),
]


@dataclass(frozen=True)
class SnapshotData:
    """What the engine reads of one day's snapshot."""

    day: date
    age_days: int
    members: int
    active_members: int
    posts_week: int  # threads and replies in the 7 days to `day`
    leader_share: float  # share of the 30 days' posts written by managers and moderators
    contributors: int  # active members who wrote anything in 30 days (contributors + creators)
    answered_by_members_share: float  # answered questions whose first answer came from a member
    median_first_answer_hours: float | None
    unanswered_24h: int


@dataclass(frozen=True)
class Thresholds:
    young_days: int = 28
    small_active: int = 10
    potential_leader_share: float = 0.5
    coalescing_growth: float = 0.10
    coalescing_leader_share: float = 0.30
    maturing_active: int = 15
    maturing_weekly_posts: int = 10
    maturing_leader_share: float = 0.30
    maturing_member_answers: float = 0.5
    maturing_first_answer_hours: float = 24.0
    steady_within: float = 0.20
    stewardship_age_days: int = 365
    stewardship_contributors: int = 10
    stewardship_leader_share: float = 0.20
    decline: float = 0.40
    contributors_leaving: float = 0.20


@dataclass(frozen=True)
class Proposal:
    stage: str
    reason: str
    # Which rule fired; a dismissed proposal is not repeated while the same rule fires.
    rule: str


def _at(history: Sequence[SnapshotData], day: date) -> SnapshotData | None:
    """The latest snapshot on or before `day`."""
    found = None
    for snapshot in history:
        if snapshot.day <= day:
            found = snapshot
        else:
            break
    return found


def _weeks_ago(history: Sequence[SnapshotData], weeks: int) -> SnapshotData | None:
    latest = history[-1]
    earlier = _at(history, latest.day - timedelta(weeks=weeks))
    # A snapshot far older than asked for would misstate the trend; a few days' gap is fine.
    if earlier is None or (latest.day - earlier.day).days > weeks * 7 + 6:
        return None
    return earlier


def _mean_over_weeks(history, first: int, last: int, attribute: str) -> float | None:
    """Mean of `attribute` sampled once a week, `first` to `last` weeks before the latest."""
    latest = history[-1].day
    values = []
    for week in range(first, last + 1):
        snapshot = _at(history, latest - timedelta(weeks=week))
        if snapshot is not None and (latest - snapshot.day).days <= week * 7 + 6:
            values.append(getattr(snapshot, attribute))
    if not values:
        return None
    return sum(values) / len(values)


def _pct(value: float) -> str:
    return f"{round(abs(value) * 100)}%"


def _transformation(history, t: Thresholds) -> Proposal | None:
    for attribute, label in (("active_members", "active members"), ("posts_week", "weekly posts")):
        recent = _mean_over_weeks(history, 0, 11, attribute)
        before = _mean_over_weeks(history, 12, 23, attribute)
        if recent is None or before is None:
            continue
        moved = change(recent, before)
        if moved is not None and moved <= -t.decline:
            return Proposal(
                TRANSFORMATION,
                f"{label.capitalize()} fell {_pct(moved)} over the last 12 weeks against the "
                f"12 before ({before:.0f} to {recent:.0f} on average): transformation.",
                f"transformation:{attribute}",
            )
    latest, month_ago = history[-1], _weeks_ago(history, 4)
    if month_ago is not None and latest.unanswered_24h > month_ago.unanswered_24h:
        left = change(latest.contributors, month_ago.contributors)
        if left is not None and left <= -t.contributors_leaving:
            return Proposal(
                TRANSFORMATION,
                f"Questions left unanswered after a day rose from {month_ago.unanswered_24h} "
                f"to {latest.unanswered_24h} in 4 weeks while contributors fell "
                f"{_pct(left)} ({month_ago.contributors} to {latest.contributors}): "
                "transformation.",
                "transformation:unanswered",
            )
    return None


def _potential(history, t: Thresholds) -> Proposal | None:
    latest = history[-1]
    young = latest.age_days < t.young_days
    small = latest.active_members < t.small_active
    if (young or small) and latest.leader_share > t.potential_leader_share:
        why = (
            f"the community is {latest.age_days} days old"
            if young
            else f"only {latest.active_members} members are active"
        )
        return Proposal(
            POTENTIAL,
            f"{why[0].upper()}{why[1:]} and managers and moderators wrote "
            f"{_pct(latest.leader_share)} of posts: potential.",
            "potential",
        )
    return None


def _steady(now: float, before: float, within: float) -> bool:
    moved = change(now, before)
    return moved is not None and abs(moved) <= within


def _stewardship(history, t: Thresholds) -> Proposal | None:
    latest, earlier = history[-1], _weeks_ago(history, 12)
    if earlier is None or latest.age_days <= t.stewardship_age_days:
        return None
    if (
        _steady(latest.members, earlier.members, t.steady_within)
        and _steady(latest.posts_week, earlier.posts_week, t.steady_within)
        and latest.contributors >= t.stewardship_contributors
        and latest.leader_share < t.stewardship_leader_share
    ):
        return Proposal(
            STEWARDSHIP,
            f"Over a year old, members ({earlier.members} to {latest.members}) and weekly posts "
            f"({earlier.posts_week} to {latest.posts_week}) steady over 12 weeks, "
            f"{latest.contributors} contributors and managers wrote only "
            f"{_pct(latest.leader_share)} of posts: stewardship.",
            "stewardship",
        )
    return None


def _maturing(history, t: Thresholds) -> Proposal | None:
    latest, month_ago = history[-1], _weeks_ago(history, 4)
    if month_ago is None:
        return None
    moved = change(latest.posts_week, month_ago.posts_week)
    steady_or_rising = moved is not None and moved >= -t.steady_within
    wait = latest.median_first_answer_hours
    if (
        latest.posts_week >= t.maturing_weekly_posts
        and steady_or_rising
        and latest.active_members >= t.maturing_active
        and latest.leader_share < t.maturing_leader_share
        and latest.answered_by_members_share > t.maturing_member_answers
        and wait is not None
        and wait < t.maturing_first_answer_hours
    ):
        return Proposal(
            MATURING,
            f"{latest.active_members} active members, {latest.posts_week} posts a week and "
            f"steady, managers wrote {_pct(latest.leader_share)} of posts, members gave "
            f"{_pct(latest.answered_by_members_share)} of first answers and the median first "
            f"answer came in {wait:.1f} hours: maturing.",
            "maturing",
        )
    return None


def _coalescing(history, t: Thresholds) -> Proposal | None:
    latest, month_ago = history[-1], _weeks_ago(history, 4)
    if month_ago is None:
        return None
    grew = change(latest.members, month_ago.members)
    if (
        grew is not None
        and grew > t.coalescing_growth
        and latest.posts_week > month_ago.posts_week
        and latest.leader_share > t.coalescing_leader_share
    ):
        return Proposal(
            COALESCING,
            f"Members grew {_pct(grew)} in 4 weeks ({month_ago.members} to {latest.members}), "
            f"weekly posts rose from {month_ago.posts_week} to {latest.posts_week} and "
            f"managers and moderators wrote {_pct(latest.leader_share)} of posts: coalescing.",
            "coalescing",
        )
    return None


RULES = (_transformation, _potential, _stewardship, _maturing, _coalescing)


def propose_stage(
    snapshots: Sequence[SnapshotData], thresholds: Thresholds | None = None
) -> Proposal | None:
    """The stage the snapshots point to and why, or None when no rule holds (or there is
    no snapshot). `snapshots` may come in any order; one per day is expected."""
    if not snapshots:
        return None
    history = sorted(snapshots, key=lambda snapshot: snapshot.day)
    thresholds = thresholds or Thresholds()
    for rule in RULES:
        proposal = rule(history, thresholds)
        if proposal is not None:
            return proposal
    return None
