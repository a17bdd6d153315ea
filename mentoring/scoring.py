"""How well a mentee and a mentor fit, with reasons a person can read (no Django).

A score is 0-100: the weighted average of five parts, each 0-1.

- topics: the share of the mentee's wanted topics the mentor offers;
- experience: the share of the lived experience the mentee asked for that the mentor has;
- timezone: hours of overlap in working hours, full at 4 hours;
- language: 1 when they share one; no shared language means the pair is not allowed;
- activity: how much the mentor helped on the mentee's topics in this community (answers,
  accepted and verified answers, thanks received), full at 10 points.

`score_pair` explains one pair; `score_matrix` computes every pair at once with the same
arithmetic (numpy), for whole-pool matching of thousands of people.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

FULL_OVERLAP_HOURS = 4
FULL_ACTIVITY_POINTS = 10
# Points added (up to 100) when the mentee named this mentor as the one they prefer.
PREFERRED_BONUS = 10.0


@dataclass(frozen=True)
class Weights:
    topics: float = 4.0
    experience: float = 2.0
    timezone: float = 2.0
    language: float = 1.0
    activity: float = 2.0

    def as_array(self) -> np.ndarray:
        return np.array([self.topics, self.experience, self.timezone, self.language, self.activity])


@dataclass(frozen=True)
class Activity:
    answers: int = 0
    accepted: int = 0
    verified: int = 0
    thanks: int = 0

    @property
    def points(self) -> int:
        return self.answers + 2 * self.accepted + 2 * self.verified + self.thanks

    def __add__(self, other: Activity) -> Activity:
        return Activity(
            self.answers + other.answers,
            self.accepted + other.accepted,
            self.verified + other.verified,
            self.thanks + other.thanks,
        )


@dataclass(frozen=True)
class Person:
    """A mentor's offer or a mentee's wishes: topics and experience are what they offer (a
    mentor) or want (a mentee)."""

    user_id: int
    topics: frozenset[str] = frozenset()
    experiences: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    hours_utc: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Score:
    value: float
    reasons: list[str] = field(default_factory=list)


def utc_hours(timezone_name: str, start_hour: int, end_hour: int, on: dt.date) -> frozenset[int]:
    """The UTC hours of the day (0-23) covered by [start_hour, end_hour) local time on `on`;
    an end before the start runs past midnight."""
    try:
        zone = zoneinfo.ZoneInfo(timezone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    noon = dt.datetime.combine(on, dt.time(12), tzinfo=zone)
    offset = noon.utcoffset() or dt.timedelta()
    shift = round(offset.total_seconds() / 3600)
    length = (end_hour - start_hour) % 24 or (24 if end_hour != start_hour else 0)
    return frozenset((start_hour + k - shift) % 24 for k in range(length))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _parts(mentee: Person, mentor: Person, activity: Activity) -> tuple[list[float], list[str]]:
    reasons = []
    shared_topics = sorted(mentee.topics & mentor.topics)
    topics = len(shared_topics) / len(mentee.topics) if mentee.topics else 0.0
    if shared_topics:
        reasons.append(f"{_plural(len(shared_topics), 'shared topic')}: {', '.join(shared_topics)}")
    shared_exp = sorted(mentee.experiences & mentor.experiences)
    experience = len(shared_exp) / len(mentee.experiences) if mentee.experiences else 0.0
    if shared_exp:
        reasons.append(f"lived experience in common: {', '.join(shared_exp)}")
    overlap = len(mentee.hours_utc & mentor.hours_utc)
    timezone = min(overlap, FULL_OVERLAP_HOURS) / FULL_OVERLAP_HOURS
    if overlap:
        reasons.append(f"{overlap} h overlap in working hours")
    else:
        reasons.append("no overlap in working hours")
    shared_languages = sorted(mentee.languages & mentor.languages)
    if shared_languages:
        reasons.append(f"both speak {', '.join(lang.title() for lang in shared_languages)}")
    points = min(activity.points, FULL_ACTIVITY_POINTS) / FULL_ACTIVITY_POINTS
    if activity.answers:
        text = f"answered {activity.answers} of your topics' questions here"
        extras = []
        if activity.accepted:
            extras.append(f"{activity.accepted} accepted")
        if activity.verified:
            extras.append(f"{activity.verified} verified")
        if activity.thanks:
            extras.append(f"thanked {_plural(activity.thanks, 'time')}")
        reasons.append(", ".join([text, *extras]))
    return [topics, experience, timezone, 1.0 if shared_languages else 0.0, points], reasons


def activity_for(mentee: Person, per_topic: Mapping[str, Activity] | None) -> Activity:
    """The mentor's activity summed over the mentee's wanted topics."""
    total = Activity()
    for topic in mentee.topics:
        total = total + (per_topic or {}).get(topic, Activity())
    return total


def score_pair(
    mentee: Person,
    mentor: Person,
    weights: Weights,
    activity: Mapping[str, Activity] | None = None,
    *,
    is_preferred: bool = False,
) -> Score | None:
    """The score of the pair with its reasons, or None when the pair is not allowed (the same
    person, or no shared language). A mentor the mentee prefers gets `PREFERRED_BONUS`."""
    if mentee.user_id == mentor.user_id or not (mentee.languages & mentor.languages):
        return None
    parts, reasons = _parts(mentee, mentor, activity_for(mentee, activity))
    w = weights.as_array()
    total = float(w.sum())
    value = round(100.0 * float(np.dot(w, parts)) / total if total > 0 else 0.0, 2)
    if is_preferred:
        value = min(100.0, value + PREFERRED_BONUS)
        reasons.insert(0, "the mentor you asked for")
    return Score(value, reasons)


def _incidence(people: Sequence[Person], attr: str, index: dict[str, int]) -> np.ndarray:
    matrix = np.zeros((len(people), max(len(index), 1)), dtype=np.float32)
    for i, person in enumerate(people):
        for item in getattr(person, attr):
            matrix[i, index[item]] = 1.0
    return matrix


def _vocabulary(*groups: Iterable[Person], attr: str) -> dict[str, int]:
    names = sorted({item for group in groups for p in group for item in getattr(p, attr)})
    return {name: k for k, name in enumerate(names)}


def score_matrix(
    mentees: Sequence[Person],
    mentors: Sequence[Person],
    weights: Weights,
    activity: Sequence[Mapping[str, Activity] | None] | None = None,
    excluded: Iterable[tuple[int, int]] = (),
    preferred: Iterable[tuple[int, int]] = (),
) -> np.ndarray:
    """Every pair's score as `score_pair` computes it (rounded the same way), NaN where not
    allowed; `activity[j]` is mentor j's activity per topic, `excluded` (i, j) pairs that
    may not be proposed (an existing or declined pairing, say), `preferred` (i, j) pairs where
    mentee i asked for mentor j."""
    n, m = len(mentees), len(mentors)
    if not n or not m:
        return np.full((n, m), np.nan)
    topic_index = _vocabulary(mentees, mentors, attr="topics")
    wanted = _incidence(mentees, "topics", topic_index)
    offered = _incidence(mentors, "topics", topic_index)
    wanted_count = wanted.sum(axis=1, keepdims=True)
    topics = (wanted @ offered.T) / np.maximum(wanted_count, 1)

    exp_index = _vocabulary(mentees, mentors, attr="experiences")
    exp_wanted = _incidence(mentees, "experiences", exp_index)
    exp_count = exp_wanted.sum(axis=1, keepdims=True)
    experience = (exp_wanted @ _incidence(mentors, "experiences", exp_index).T) / np.maximum(
        exp_count, 1
    )

    hours = np.zeros((n, 24), dtype=np.float32)
    for i, p in enumerate(mentees):
        hours[i, list(p.hours_utc)] = 1.0
    mentor_hours = np.zeros((m, 24), dtype=np.float32)
    for j, p in enumerate(mentors):
        mentor_hours[j, list(p.hours_utc)] = 1.0
    timezone = np.minimum(hours @ mentor_hours.T, FULL_OVERLAP_HOURS) / FULL_OVERLAP_HOURS

    lang_index = _vocabulary(mentees, mentors, attr="languages")
    shared_language = (
        _incidence(mentees, "languages", lang_index)
        @ _incidence(mentors, "languages", lang_index).T
    ) > 0

    points = np.zeros((max(len(topic_index), 1), m), dtype=np.float64)
    for j, per_topic in enumerate(activity or [None] * m):
        for topic, counts in (per_topic or {}).items():
            if topic in topic_index:
                points[topic_index[topic], j] = counts.points
    activity_part = np.minimum(wanted @ points, FULL_ACTIVITY_POINTS) / FULL_ACTIVITY_POINTS

    w = weights.as_array()
    total = float(w.sum())
    value = (
        w[0] * topics
        + w[1] * experience
        + w[2] * timezone
        + w[3] * shared_language
        + w[4] * activity_part
    )
    value = np.round(100.0 * value / total, 2) if total > 0 else np.zeros((n, m))
    value = value.astype(np.float64)
    value[~shared_language] = np.nan
    mentee_users = np.array([p.user_id for p in mentees])
    mentor_users = np.array([p.user_id for p in mentors])
    value[mentee_users[:, None] == mentor_users[None, :]] = np.nan
    for i, j in preferred:
        value[i, j] = np.minimum(100.0, value[i, j] + PREFERRED_BONUS)  # NaN stays NaN
    for i, j in excluded:
        value[i, j] = np.nan
    return value
