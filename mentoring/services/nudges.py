"""The daily nudges: lapse overdue answers, remind mentors of requests about to lapse, tell a
pair when no session was logged for 1.5 x the cadence (once per lapse), and tell the managers
when a relationship stalled twice. Notice rows make each go out once."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import NoticeKind, Pairing, PairingStatus
from .notices import notify
from .pairings import lapse_overdue, managers_of

REMIND_BEFORE = dt.timedelta(days=1)
STALLS_BEFORE_MANAGER = 2


def lapse_due() -> int:
    due = Pairing.objects.filter(
        status__in=[PairingStatus.OFFERED, PairingStatus.REQUESTED],
        respond_by__lt=timezone.now(),
    ).values_list("pk", flat=True)
    return sum(lapse_overdue(pairing_id=pk) for pk in list(due))


def remind_requests() -> int:
    now = timezone.now()
    due = Pairing.objects.filter(
        status=PairingStatus.REQUESTED,
        respond_by__gte=now,
        respond_by__lt=now + REMIND_BEFORE,
    ).select_related("mentor__user", "mentee__user", "programme")
    sent = 0
    for pairing in due:
        with transaction.atomic(durable=True):
            sent += len(
                notify(
                    kind=NoticeKind.REQUEST_REMINDER,
                    pairing=pairing,
                    recipients=[pairing.mentor.user],
                )
            )
    return sent


def lapsed_since(pairing: Pairing, today: dt.date) -> dt.date | None:
    """The date the pair's quiet spell began, if it is longer than 1.5 x the cadence."""
    since = pairing.last_session_on or pairing.started_on
    if since is None:
        return None
    limit = dt.timedelta(days=pairing.programme.cadence_days * 1.5)
    return since if today - since > limit else None


def nudge_quiet_pairs(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    nudged = 0
    active = Pairing.objects.filter(status=PairingStatus.ACTIVE).select_related(
        "programme", "mentor__user", "mentee__user"
    )
    for pairing in active.iterator(chunk_size=500):
        since = lapsed_since(pairing, today)
        if since is None:
            continue
        with transaction.atomic(durable=True):
            created = notify(
                kind=NoticeKind.NO_SESSION,
                pairing=pairing,
                recipients=[pairing.mentor.user, pairing.mentee.user],
                key=since.isoformat(),
            )
            if not created:
                continue
            nudged += 1
            Pairing.objects.filter(pk=pairing.pk).update(stall_count=F("stall_count") + 1)
            pairing.refresh_from_db(fields=["stall_count"])
            if pairing.stall_count >= STALLS_BEFORE_MANAGER:
                notify(
                    kind=NoticeKind.STALLED,
                    pairing=pairing,
                    recipients=managers_of(pairing.programme),
                )
    return nudged


def run_daily_nudges() -> dict[str, int]:
    return {
        "lapsed": lapse_due(),
        "reminded": remind_requests(),
        "quiet": nudge_quiet_pairs(),
    }
