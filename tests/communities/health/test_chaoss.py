"""CHAOSS New Contributors, Inactive Contributors and Burstiness, and the membership history
a past day is counted from: pure functions on hand-made data (no database)."""

from datetime import UTC, datetime, timedelta

import pytest

from communities.health.history import (
    MembershipChange,
    MembershipRecord,
    accepted_at,
    is_active_at,
    state_at,
)
from communities.health.metrics import burstiness, contributor_turnover

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


SINCE, END = day(30), day(60)


def test_new_contributors_made_their_first_contribution_in_the_period():
    turnover = contributor_turnover(
        {
            1: (day(31), day(40)),  # first in the period: new
            2: (SINCE, SINCE),  # first exactly at the start: new
            3: (day(10), day(45)),  # contributed before and in it: neither
            4: (day(5), day(20)),  # before only: inactive
            5: (day(29.9), day(29.9)),  # just before the period: inactive
        },
        since=SINCE,
        end=END,
    )
    assert (turnover.new, turnover.inactive) == (2, 2)


def test_contributions_after_the_period_are_not_counted():
    turnover = contributor_turnover({1: (END, END), 2: (day(1), day(1))}, since=SINCE, end=END)
    assert (turnover.new, turnover.inactive) == (0, 1)


def test_nobody_no_turnover():
    turnover = contributor_turnover({}, since=SINCE, end=END)
    assert (turnover.new, turnover.inactive) == (0, 0)


def test_burstiness_even_random_and_bursty():
    assert burstiness([3] * 30) == -1.0  # the same every day
    assert burstiness([0] * 29 + [30]) > 0.6  # everything on one day
    assert burstiness([0, 0, 0]) is None
    assert burstiness([]) is None
    # B = (sd - mean) / (sd + mean): days 0, 2 have mean 1 and sd 1, so B = 0.
    assert burstiness([0, 2]) == 0.0


def test_burstiness_is_between_minus_one_and_one():
    for counts in ([1], [1, 0], [5, 0, 0, 0, 0, 0, 0], [1, 2, 3, 4]):
        assert -1 <= burstiness(counts) <= 1


def record(*changes, status="active", role="member", joined=0, updated=0):
    return MembershipRecord(7, day(joined), status, role, day(updated), tuple(changes))


def test_not_a_member_before_joining():
    member = record(joined=10)
    assert state_at(member, day(10)) is None
    assert state_at(member, day(10.1)) == ("active", "member")


def test_left_after_the_day_was_a_member_then_without_a_log():
    member = record(status="left", joined=1, updated=20)
    assert is_active_at(member, day(19))
    assert not is_active_at(member, day(21))


def test_logged_changes_give_the_state_at_any_moment():
    appointed = MembershipChange(day(5), ("active", "member"), ("active", "moderator"))
    left = MembershipChange(day(9), ("active", "moderator"), ("left", "member"))
    back = MembershipChange(day(15), ("left", "member"), ("active", "member"))
    member = record(appointed, left, back, joined=1, updated=15)
    assert state_at(member, day(3)) == ("active", "member")  # before any change
    assert state_at(member, day(6)) == ("active", "moderator")
    assert not is_active_at(member, day(12))
    assert state_at(member, day(16)) == ("active", "member")


def test_pending_request_approved_later():
    approved = MembershipChange(day(4), ("pending", "member"), ("active", "member"))
    member = record(approved, joined=1, updated=4)
    assert not is_active_at(member, day(3))
    assert is_active_at(member, day(5))


@pytest.mark.parametrize(
    ("at", "expected"), [(day(1), 10), (day(3), 11), (day(6), None), (day(9), 12)]
)
def test_accepted_answer_at_a_moment(at, expected):
    changes = [(day(2), 10, 11), (day(5), 11, None), (day(8), None, 12)]
    assert accepted_at(12, changes, at) == expected


def test_accepted_answer_without_changes_is_the_current_one():
    assert accepted_at(4, [], day(1)) == 4
