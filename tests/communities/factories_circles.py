"""People and circles for the circle tests, built through the services where it matters."""

import datetime as dt

import pytest

from communities.circles.models import Cadence, CircleKind
from communities.circles.services.circles import join_circle, propose_circle
from communities.models import Circle
from tests.communities.factories_discussions import make_member

__all__ = ["circle_fields", "fast_passwords", "make_circle", "make_member"]


def circle_fields(**overrides) -> dict:
    fields = {
        "name": "Facilitation practice circle",
        "kind": CircleKind.LEARNING,
        "purpose": "Get better at running workshops by trying things and talking them over.",
        "learning_goals": "Plan a workshop; run it; debrief it honestly.",
        "cadence": Cadence.WEEKLY,
        "weekday": 1,
        "time_of_day": dt.time(18, 30),
        "timezone_name": "Europe/Berlin",
        "capacity": 6,
    }
    fields.update(overrides)
    return fields


def make_circle(community, *, proposer=None, members: int = 1, **overrides) -> Circle:
    """A circle proposed by `proposer` (a new member when omitted) with `members` people in it
    in all; at four it is active and has its first meetings."""
    proposer = proposer or make_member(community)
    circle = propose_circle(actor=proposer, community=community, **circle_fields(**overrides))
    for _ in range(members - 1):
        join_circle(user=make_member(community), circle=circle)
    return Circle.objects.get(pk=circle.pk)


@pytest.fixture
def fast_passwords(settings):
    """Circle tests sign people in with force_login; a cheap hasher keeps them quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
