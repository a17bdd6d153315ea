"""People and circles for the circle tests, built through the services where it matters."""

import datetime as dt

import pytest

from communities.models import Circle, Membership
from communities.models.circles import Cadence, CircleKind
from communities.models.communities import MembershipStatus, Role
from communities.services.circles import join_circle, propose_circle
from communities.services.roles import sync_role_permissions
from tests.communities.factories import UserFactory


def make_member(community, user=None, *, role=Role.MEMBER, status=MembershipStatus.ACTIVE):
    """A person with a membership of `community` in `role` and `status`, who agreed to the
    current guidelines, with the guardian permissions their role carries."""
    user = user or UserFactory()
    membership = Membership.objects.create(
        user=user,
        community=community,
        role=role,
        status=status,
        agreed_to_guidelines_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC),
        agreed_guidelines_version=community.guidelines_version,
    )
    sync_role_permissions(membership)
    return type(user).objects.get(pk=user.pk)


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
