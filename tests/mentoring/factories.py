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


MENTORING_ROLES = (
    "anonymous",
    "outsider",
    "member",
    "mentee",
    "mentor",
    "other_pair",
    "manager",
    "moderator",
    "staff",
)
SECRET_NOTE = "Notes only the pair may read: talked about the salary negotiation."
SECRET_GOAL = "Ask for the promotion by spring"
SECRET_REFLECTION = "A private reflection about what changed for me."


class MentoringCast:
    """A programme in a community with one person in each role of the access matrix: an
    active pair (with a goal, a session, a planned session), another active pair, a waiting
    mentee with a proposal, plus a member, a moderator, the manager, staff and an outsider."""

    def __init__(self, visibility: str = "open"):
        import datetime as dt

        from django.utils import timezone

        from mentoring.services import add_goal, log_session, plan_next_session, run_matching

        manager = UserFactory()
        community = new_community(manager=manager, visibility=visibility)
        self.programme = make_programme(community, manager=manager)
        mentor = make_mentor(self.programme, topics=["sql"], capacity=3)
        self.pairing = _pair(self.programme, mentor, make_mentee(self.programme))
        other = _pair(self.programme, make_mentor(self.programme, topics=["dbt"]), None)
        self.goal = add_goal(actor=mentor.user, pairing=self.pairing, title=SECRET_GOAL)
        log_session(
            actor=mentor.user,
            pairing=self.pairing,
            held_on=timezone.localdate(),
            minutes=45,
            notes=SECRET_NOTE,
        )
        plan_next_session(
            actor=mentor.user,
            pairing=self.pairing,
            starts_at=timezone.now() + dt.timedelta(days=7),
        )
        make_mentee(self.programme, topics=["sql"])
        (self.proposal,) = run_matching(actor=manager, programme=self.programme)
        self.people = {
            "anonymous": None,
            "outsider": UserFactory(),
            "member": add_member(community),
            "mentee": self.pairing.mentee.user,
            "mentor": mentor.user,
            "other_pair": other.mentee.user,
            "manager": manager,
            "moderator": add_member(community, role=Role.MODERATOR),
            "staff": UserFactory(is_staff=True),
        }
        self.community = community

    def __getitem__(self, role):
        return self.people[role]


def _pair(programme, mentor, mentee):
    from mentoring.models import Pairing
    from mentoring.services import approve_proposal, respond

    mentee = mentee or make_mentee(programme, topics=["dbt"])
    pairing = Pairing.objects.create(
        programme=programme, mentor=mentor, mentee=mentee, status="proposed", score=50
    )
    approve_proposal(actor=manager_of(programme.community), pairing=pairing)
    respond(actor=mentor.user, pairing=pairing, accept=True)
    return respond(actor=mentee.user, pairing=pairing, accept=True)
