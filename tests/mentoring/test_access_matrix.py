"""Every mentoring URL from every role, in an open and a private community.

Statuses per role in `MENTORING_ROLES` order: anonymous, outsider (not a member), member,
the mentee, the mentor, someone of another pair, the programme's manager, a community
moderator, staff. Pair pages answer 404 to everyone but the pair, staff included; no page
outside the pair's shows their session notes, goals or reflections.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.mentoring.factories import (
    MENTORING_ROLES,
    SECRET_GOAL,
    SECRET_NOTE,
    MentoringCast,
)

pytestmark = pytest.mark.django_db


@dataclass
class Row:
    name: str
    url: Callable[[MentoringCast], str]
    method: str
    open: str
    private: str
    data: dict = field(default_factory=dict)


def programme(name):
    return lambda cast: reverse(f"mentoring:{name}", args=[cast.programme.pk])


def pairing(name, *extra):
    return lambda cast: reverse(
        f"mentoring:{name}", args=[cast.pairing.pk, *(part(cast) for part in extra)]
    )


#                anon out  memb mntee mntor other mgr  mod  staff
EVERYONE = "     200  200  200  200   200   200   200  200  200"
MEMBERS = "      404  404  200  200   200   200   200  200  200"
MANAGERS = "     302  403  403  403   403   403   200  403  200"
PRIVATE_MGR = "  404  404  403  403   403   403   200  403  200"
PAIR_ONLY = "    302  404  404  200   200   404   404  404  404"
PAIR_POSTS = "   302  404  404  302   302   404   404  404  404"
PARTICIPANT = "  302  403  200  200   200   200   200  200  403"
PRIVATE_PART = " 404  404  200  200   200   200   200  200  403"
MATCH_POST = "   302  403  403  403   403   403   302  403  302"
PRIVATE_MATCH = "404  404  403  403   403   403   302  403  302"

MATRIX = [
    Row("home", lambda cast: reverse("mentoring:home"), "GET",
        open="302 200 200 200 200 200 200 200 200", private="302 200 200 200 200 200 200 200 200"),
    Row("programme-create", lambda cast: reverse(
        "mentoring:programme-create", args=[cast.community.slug]), "GET", MANAGERS, PRIVATE_MGR),
    Row("programme-detail", programme("programme-detail"), "GET", EVERYONE, MEMBERS),
    Row("mentor-list", programme("mentor-list"), "GET", EVERYONE, MEMBERS),
    Row("programme-guide", programme("programme-guide"), "GET",
        open="302 403 403 403 200 403 200 403 200", private="404 404 403 403 200 403 200 403 200"),
    Row("mentor-profile", programme("mentor-profile"), "GET", PARTICIPANT, PRIVATE_PART),
    Row("mentee-request", programme("mentee-request"), "GET", PARTICIPANT, PRIVATE_PART),
    Row("mentor-choose", programme("mentor-choose"), "GET", PARTICIPANT, PRIVATE_PART),
    Row("programme-manage", programme("programme-manage"), "GET", MANAGERS, PRIVATE_MGR),
    Row("programme-edit", programme("programme-edit"), "GET", MANAGERS, PRIVATE_MGR),
    Row("proposal-list", programme("proposal-list"), "GET", MANAGERS, PRIVATE_MGR),
    Row("programme-match", programme("programme-match"), "POST", MATCH_POST, PRIVATE_MATCH),
    Row("proposal-drop", lambda cast: reverse(
        "mentoring:proposal-action", args=[cast.programme.pk, cast.proposal.pk, "drop"]),
        "POST", MATCH_POST, PRIVATE_MATCH),
    Row("proposal-swap", lambda cast: reverse(
        "mentoring:proposal-action", args=[cast.programme.pk, cast.proposal.pk, "swap"]),
        "POST", MATCH_POST, PRIVATE_MATCH),
    Row("proposal-approve", lambda cast: reverse(
        "mentoring:proposal-action", args=[cast.programme.pk, cast.proposal.pk, "approve"]),
        "POST", MATCH_POST, PRIVATE_MATCH),
    # Asking a mentor: members may (here refused with a message: the manager matches).
    Row("mentor-request", lambda cast: reverse(
        "mentoring:mentor-request", args=[cast.programme.pk, cast.pairing.mentor_id]), "POST",
        open="302 403 302 302 302 302 302 302 403", private="302 404 302 302 302 302 302 302 403"),
    Row("pairing-detail", pairing("pairing-detail"), "GET", PAIR_ONLY, PAIR_ONLY),
    Row("session-ics", pairing("session-ics"), "GET", PAIR_ONLY, PAIR_ONLY),
    Row("goal-create", pairing("goal-create"), "POST", PAIR_POSTS, PAIR_POSTS,
        data={"title": "Ship the dashboard"}),
    Row("goal-update", pairing("goal-update", lambda cast: cast.goal.pk), "POST",
        PAIR_POSTS, PAIR_POSTS, data={"progress": "40", "comment": "Halfway"}),
    Row("session-create", pairing("session-create"), "POST", PAIR_POSTS, PAIR_POSTS,
        data={"held_on": "TODAY", "minutes": "30", "notes": "More notes."}),
    Row("session-plan", pairing("session-plan"), "POST", PAIR_POSTS, PAIR_POSTS,
        data={"starts_at": "NEXT_WEEK", "minutes": "45"}),
    Row("pairing-answer", pairing("pairing-answer"), "POST",
        open="302 404 404 400 400 404 404 404 404", private="302 404 404 400 400 404 404 404 404",
        data={"answer": "decline"}),
    # Only the mentee withdraws (and only a request): the mentor is refused, others see nothing.
    Row("pairing-withdraw", pairing("pairing-withdraw"), "POST",
        open="302 404 404 302 403 404 404 404 404", private="302 404 404 302 403 404 404 404 404"),
    Row("pairing-close", pairing("pairing-close"), "POST", PAIR_POSTS, PAIR_POSTS,
        data={"text": "It helped a lot.", "rating": "5"}),
]  # fmt: skip


def _data(row: Row) -> dict:
    import datetime as dt

    values = {}
    for key, value in row.data.items():
        if value == "TODAY":
            value = timezone.localdate().isoformat()
        elif value == "NEXT_WEEK":
            value = (timezone.now() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
        values[key] = value
    return values


@pytest.mark.parametrize("visibility", ["open", "private"])
@pytest.mark.parametrize("row", MATRIX, ids=lambda row: f"{row.method}-{row.name}")
def test_access(row: Row, visibility: str, client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cast = MentoringCast(visibility)
    url = row.url(cast)
    expected = dict(zip(MENTORING_ROLES, map(int, getattr(row, visibility).split()), strict=True))
    wrong = []
    for role in MENTORING_ROLES:
        client.logout()
        if cast[role] is not None:
            client.force_login(cast[role])
        response = client.get(url) if row.method == "GET" else client.post(url, _data(row))
        if response.status_code != expected[role]:
            wrong.append(f"{role}: {response.status_code} (expected {expected[role]})")
        if role not in ("mentee", "mentor") and response.status_code == 200:
            body = response.content.decode()
            assert SECRET_NOTE not in body, f"{row.name} shows notes to {role}"
            assert SECRET_GOAL not in body, f"{row.name} shows goals to {role}"
    assert not wrong, f"{row.method} {url} in a {visibility} community: " + "; ".join(wrong)
