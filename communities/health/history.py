"""A membership's status and role at any moment, from its row and the changes logged since.

Pure: the snapshot passes plain values in, so a past day is recomputed from what was true
at its end, whatever happened after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

ACTIVE = "active"
ENDED = ("left", "banned")
State = tuple[str, str]  # (status, role)


@dataclass(frozen=True)
class MembershipChange:
    """A change of status or role at `at`: the state before it and after it."""

    at: datetime
    before: State
    after: State


@dataclass(frozen=True)
class MembershipRecord:
    """A membership row as it is now, with its logged changes (oldest first)."""

    user_id: int
    joined_at: datetime
    status: str
    role: str
    updated_at: datetime
    changes: Sequence[MembershipChange] = ()


def state_at(record: MembershipRecord, at: datetime) -> State | None:
    """The membership's (status, role) just before `at`; None when the row did not exist.

    The last change before `at` says what it was. Without one, the first change after `at`
    says what it had been. A row with no logged change (written before the log existed) is
    taken as active from `joined_at` until `updated_at` if it has ended since."""
    if record.joined_at >= at:
        return None
    before = [change for change in record.changes if change.at < at]
    if before:
        return before[-1].after
    if record.changes:
        return record.changes[0].before
    if record.status in ENDED and record.updated_at < at:
        return (record.status, record.role)
    if record.status in ENDED:
        return (ACTIVE, record.role)
    return (record.status, record.role)


def is_active_at(record: MembershipRecord, at: datetime) -> bool:
    state = state_at(record, at)
    return state is not None and state[0] == ACTIVE


def accepted_at(
    current_post_id: int | None, changes: Sequence[tuple[datetime, int | None, int | None]], at
) -> int | None:
    """Which reply was the thread's accepted answer just before `at`, from the current one
    and the logged changes (time, before, after), oldest first."""
    before = [change for change in changes if change[0] < at]
    if before:
        return before[-1][2]
    if changes:
        return changes[0][1]
    return current_post_id
