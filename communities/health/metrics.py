"""Pure measures over plain data: the 90-9-1 split, time to first answer, shares.

No Django here: the snapshot service gathers the rows and passes plain values in.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# A contributor wrote 1-4 posts in the window; a creator 5 or more (Nielsen's 90-9-1).
CREATOR_MIN_POSTS = 5


@dataclass(frozen=True)
class ParticipationSplit:
    lurkers: int
    contributors: int
    creators: int

    @property
    def total(self) -> int:
        return self.lurkers + self.contributors + self.creators


def participation_split(
    active_member_ids: Iterable[int], posts_by_member: Mapping[int, int]
) -> ParticipationSplit:
    """Split the active members: lurkers wrote nothing (they read or voted), contributors
    wrote 1-4 threads and replies in the window, creators 5 or more. Posts by people who are
    not among `active_member_ids` are ignored."""
    lurkers = contributors = creators = 0
    for member_id in set(active_member_ids):
        posts = posts_by_member.get(member_id, 0)
        if posts <= 0:
            lurkers += 1
        elif posts < CREATOR_MIN_POSTS:
            contributors += 1
        else:
            creators += 1
    return ParticipationSplit(lurkers=lurkers, contributors=contributors, creators=creators)


@dataclass(frozen=True)
class Question:
    """A question and its replies, as plain data: who asked, when, and each reply's
    (author id, time). `asker_id` is None for a deleted account."""

    asked_at: datetime
    asker_id: int | None
    replies: tuple[tuple[int | None, datetime], ...] = ()


def first_answer_at(question: Question) -> datetime | None:
    """When someone other than the asker first replied (CHAOSS: time to first response)."""
    times = [
        at
        for author_id, at in question.replies
        if author_id is not None and author_id != question.asker_id and at >= question.asked_at
    ]
    return min(times, default=None)


def median_first_answer_hours(questions: Iterable[Question]) -> float | None:
    """The median (not the mean) hours from asking to the first reply by someone other than
    the asker, over the questions that have one; None when none has."""
    waits = []
    for question in questions:
        answered_at = first_answer_at(question)
        if answered_at is not None:
            waits.append((answered_at - question.asked_at).total_seconds() / 3600)
    if not waits:
        return None
    return round(statistics.median(waits), 2)


def unanswered_after(questions: Iterable[Question], *, now: datetime, hours: float = 24) -> int:
    """Questions asked over `hours` before `now` that nobody but the asker had answered by
    `now`."""
    limit = now - timedelta(hours=hours)
    count = 0
    for question in questions:
        if question.asked_at > limit:
            continue
        answered_at = first_answer_at(question)
        if answered_at is None or answered_at > now:
            count += 1
    return count


def share(part: float, whole: float) -> float:
    """`part / whole` rounded to 3 places, 0.0 for an empty whole."""
    if whole <= 0:
        return 0.0
    return round(part / whole, 3)


def change(now: float, before: float) -> float | None:
    """Relative change from `before` to `now` (0.4 = up 40%); None when `before` is 0."""
    if before == 0:
        return None
    return (now - before) / before


@dataclass(frozen=True)
class ContributorTurnover:
    """CHAOSS *New Contributors* and *Inactive Contributors* for one period."""

    new: int
    inactive: int


def contributor_turnover(
    first_and_last: Mapping[int, tuple[datetime, datetime]], *, since: datetime, end: datetime
) -> ContributorTurnover:
    """From each contributor's first and last contribution before `end`: *new* made their
    first contribution in the period [since, end) (CHAOSS New Contributors); *inactive*
    contributed before the period and not in it (CHAOSS Inactive Contributors)."""
    new = inactive = 0
    for first, last in first_and_last.values():
        if first >= end:
            continue
        if first >= since:
            new += 1
        elif last < since:
            inactive += 1
    return ContributorTurnover(new=new, inactive=inactive)


def burstiness(daily_counts: Sequence[int]) -> float | None:
    """Goh and Barabási's burstiness B = (sd - mean) / (sd + mean) of the activity per day, for the
    CHAOSS *Burstiness* metric: -1 for perfectly even days, about 0 for random (Poisson)
    activity, towards 1 when activity comes in short bursts. None with no activity."""
    if not daily_counts or sum(daily_counts) == 0:
        return None
    mean = statistics.fmean(daily_counts)
    sigma = statistics.pstdev(daily_counts)
    return round((sigma - mean) / (sigma + mean), 3)
