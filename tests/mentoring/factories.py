"""Mentoring built through its services, on communities built by communities' helpers."""

from communities.public import Role
from mentoring.models import MatchingMode, ProgrammeKind
from mentoring.services import create_programme, save_mentee_request, save_mentor_profile
from tests.communities.factories import UserFactory, add_member, manager_of, new_community


def make_programme(community=None, *, manager=None, **fields):
    community = community or new_community(manager=manager)
    values = {
        "name": "Data mentoring",
        "purpose": "Experienced engineers guide people new to data work.",
        "kind": ProgrammeKind.MENTORING,
        "matching_mode": MatchingMode.WHOLE_POOL,
        "cadence_days": 14,
        "experience_options": "career changer, first-generation, returning parent",
        "guide": "Start by asking what **success** looks like.",
    }
    values.update(fields)
    return create_programme(actor=manager or manager_of(community), community=community, **values)


def make_mentor(programme, user=None, *, topics=("sql",), capacity=2, role=Role.MEMBER, **kw):
    user = user or add_member(programme.community, UserFactory(), role=role)
    values = {
        "topics": list(topics),
        "capacity": capacity,
        "timezone_name": "UTC",
        "hours_from": 9,
        "hours_to": 17,
        "languages": "english",
    }
    values.update(kw)
    return save_mentor_profile(actor=user, programme=programme, **values)


def make_mentee(programme, user=None, *, topics=("sql",), **kw):
    user = user or add_member(programme.community, UserFactory())
    values = {
        "goals": "Build my first pipeline.",
        "topics": list(topics),
        "timezone_name": "UTC",
        "hours_from": 9,
        "hours_to": 17,
        "languages": "english",
    }
    values.update(kw)
    return save_mentee_request(actor=user, programme=programme, **values)


def active_pair(programme=None, **kw):
    """A mentor and a mentee matched, approved and both accepted: an active relationship."""
    from mentoring.services import approve_proposal, respond, run_matching

    programme = programme or make_programme(**kw)
    mentor = make_mentor(programme)
    mentee = make_mentee(programme)
    manager = manager_of(programme.community)
    proposal = next(
        p for p in run_matching(actor=manager, programme=programme) if p.mentee_id == mentee.pk
    )
    approve_proposal(actor=manager, pairing=proposal)
    respond(actor=mentor.user, pairing=proposal, accept=True)
    return respond(actor=mentee.user, pairing=proposal, accept=True)
