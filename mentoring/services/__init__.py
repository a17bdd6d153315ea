"""Every write of the mentoring app, one function per use case (see each module)."""

from .matching import ranked_mentors, run_matching, swap_proposal
from .pairings import (
    approve_proposal,
    drop_proposal,
    lapse_overdue,
    pause_for_departed_member,
    propose_buddy,
    request_mentor,
    respond,
    withdraw_request,
)
from .programmes import (
    create_programme,
    save_mentee_request,
    save_mentor_profile,
    update_programme,
)
from .relationships import add_goal, log_session, plan_next_session, update_goal, write_reflection

__all__ = [
    "add_goal",
    "approve_proposal",
    "create_programme",
    "drop_proposal",
    "lapse_overdue",
    "log_session",
    "pause_for_departed_member",
    "plan_next_session",
    "propose_buddy",
    "ranked_mentors",
    "request_mentor",
    "respond",
    "run_matching",
    "save_mentee_request",
    "save_mentor_profile",
    "swap_proposal",
    "update_goal",
    "update_programme",
    "withdraw_request",
    "write_reflection",
]
