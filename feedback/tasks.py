"""Jobs of peer review: phases by the clock, reallocation, reminders, notice emails.

Each takes ids, loads fresh rows and is safe to run twice: phase moves check the phase the
job saw, reallocation re-checks each review under a row lock, and every email is a unique
`Notice` row claimed by a conditional update before it is sent.
"""

import logging

from celery import shared_task
from django.core.exceptions import ValidationError

from feedback.models import Phase, Round

log = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def send_notice(notice_id: int) -> bool:
    from feedback.services.notices import send_notice_now

    return send_notice_now(notice_id)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def advance_due_rounds() -> int:
    """Move every round whose phase deadline has passed to its next phase. A round that
    cannot move (too few submissions) stays, and its owner sees why on the round page."""
    from feedback.services.rounds import advance_phase, rounds_due_to_advance

    moved = 0
    for round_id, phase in rounds_due_to_advance():
        try:
            advance_phase(actor=None, round_=Round(pk=round_id), expected=phase)
        except ValidationError as error:
            log.info("Round %s stays in %s: %s", round_id, phase, " ".join(error.messages))
        else:
            moved += 1
    return moved


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def reallocate_and_remind() -> int:
    """Reminders for reviews not started by half the phase; reallocation after deadlines;
    revision reminders in the last day."""
    from feedback.services.reviews import (
        reallocate_overdue,
        send_pending_reminders,
        send_revision_reminders,
    )

    done = 0
    review_rounds = Round.objects.filter(phase__in=[Phase.REVIEW, Phase.REREVIEW])
    for round_id in review_rounds.values_list("pk", flat=True):
        done += send_pending_reminders(round_id=round_id)
        done += reallocate_overdue(round_id=round_id)
    for round_id in Round.objects.filter(phase=Phase.REVISION).values_list("pk", flat=True):
        done += send_revision_reminders(round_id=round_id)
    return done
