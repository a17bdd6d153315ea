"""What a pair does together: goals, sessions, the next session, closing with reflections.
Only the two people of the pairing write here; everything else is refused."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from communities.models import User
from communities.public import single_line

from .. import permissions
from ..errors import NotAllowed, StateError, ValidationError
from ..models import Goal, MentoringSession, Pairing, PairingStatus, Reflection
from .pairings import free_seats

MAX_AHEAD = dt.timedelta(days=365)


def _require_pair(actor: User, pairing: Pairing) -> None:
    if not permissions.is_in_pair(actor, pairing):
        raise NotAllowed("Only the two people of this relationship do that.")


def _require_active(pairing: Pairing, doing: str) -> None:
    if pairing.status != PairingStatus.ACTIVE:
        raise StateError(
            f"This relationship is {pairing.get_status_display().lower()}, so you can't "
            f"{doing} any more."
        )


def _check_progress(progress) -> int:
    try:
        value = int(progress)
    except (TypeError, ValueError):
        raise ValidationError({"progress": "Progress is a number from 0 to 100."}) from None
    if not 0 <= value <= 100:
        raise ValidationError({"progress": "Progress is between 0 and 100%."})
    return value


def add_goal(
    *, actor: User, pairing: Pairing, title: str, why: str = "", target_on: dt.date | None = None
) -> Goal:
    _require_pair(actor, pairing)
    _require_active(pairing, "add goals")
    if not (title or "").strip():
        raise ValidationError({"title": "Give the goal a title."})
    if target_on is not None and target_on > timezone.localdate() + MAX_AHEAD * 2:
        raise ValidationError({"target_on": "Choose a target date within two years."})
    with transaction.atomic(durable=True):
        return Goal.objects.create(
            pairing=pairing, title=single_line(title), why=why, target_on=target_on
        )


def update_goal(
    *, actor: User, goal: Goal, progress, comment: str = "", is_done: bool = False
) -> Goal:
    pairing = goal.pairing
    _require_pair(actor, pairing)
    _require_active(pairing, "update goals")
    value = _check_progress(progress)
    if len(comment) > 500:
        raise ValidationError({"comment": "Keep the comment under 500 characters."})
    with transaction.atomic(durable=True):
        is_done = bool(is_done) or value == 100
        Goal.objects.filter(pk=goal.pk).update(
            progress=value, progress_comment=comment, is_done=is_done
        )
    goal.progress, goal.progress_comment, goal.is_done = value, comment, is_done
    return goal


def log_session(
    *,
    actor: User,
    pairing: Pairing,
    held_on: dt.date,
    minutes: int,
    topics: str = "",
    notes: str = "",
    action_items: str = "",
) -> MentoringSession:
    """Either side logs a session that took place. Notes and action items stay with the
    pair; the action items are shown again when the next session is logged."""
    _require_pair(actor, pairing)
    _require_active(pairing, "log sessions")
    today = timezone.localdate()
    if held_on is None:
        raise ValidationError({"held_on": "Give the date of the session."})
    if held_on > today + MAX_AHEAD:
        raise ValidationError({"held_on": "That date is more than a year away."})
    if held_on > today + dt.timedelta(days=1):
        raise ValidationError(
            {"held_on": "Log a session once it has happened; plan future ones below."}
        )
    if pairing.started_on and held_on < pairing.started_on - dt.timedelta(days=30):
        raise ValidationError({"held_on": "That date is before the relationship began."})
    if minutes is None or not 5 <= int(minutes) <= 480:
        raise ValidationError({"minutes": "A session lasts between 5 and 480 minutes."})
    with transaction.atomic(durable=True):
        locked = Pairing.objects.select_for_update().get(pk=pairing.pk)
        _require_active(locked, "log sessions")
        session = MentoringSession.objects.create(
            pairing=pairing,
            held_on=held_on,
            minutes=int(minutes),
            topics=topics.strip(),
            notes=notes,
            action_items=action_items,
            logged_by=actor,
        )
        last = max(filter(None, [locked.last_session_on, held_on]))
        Pairing.objects.filter(pk=pairing.pk).update(
            last_session_on=last, session_count=F("session_count") + 1
        )
    return session


def plan_next_session(
    *, actor: User, pairing: Pairing, starts_at: dt.datetime, minutes: int = 60
) -> Pairing:
    """Set the pair's next session (offered as an .ics file on their page)."""
    _require_pair(actor, pairing)
    _require_active(pairing, "plan sessions")
    now = timezone.now()
    if starts_at is None or starts_at <= now:
        raise ValidationError({"starts_at": "Choose a time in the future."})
    if starts_at > now + MAX_AHEAD:
        raise ValidationError({"starts_at": "That date is more than a year away."})
    if not 5 <= int(minutes) <= 480:
        raise ValidationError({"minutes": "A session lasts between 5 and 480 minutes."})
    with transaction.atomic(durable=True):
        Pairing.objects.filter(pk=pairing.pk).update(
            next_session_at=starts_at, next_session_minutes=int(minutes)
        )
    pairing.next_session_at, pairing.next_session_minutes = starts_at, int(minutes)
    return pairing


def write_reflection(*, actor: User, pairing: Pairing, text: str, rating: int) -> Reflection:
    """The first reflection closes an active (or paused) relationship; the other side adds
    theirs after. Each side writes one, with a 1-5 rating of how much it helped."""
    _require_pair(actor, pairing)
    if not (text or "").strip():
        raise ValidationError({"text": "Write a sentence or two about what you take away."})
    if len(text) > 2000:
        raise ValidationError({"text": "Keep the reflection under 2,000 characters."})
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": "Rate from 1 (not much) to 5 (a great deal)."})
    with transaction.atomic(durable=True):
        locked = (
            Pairing.objects.select_for_update(of=("self",))
            .select_related("mentor__user", "mentee__user")
            .get(pk=pairing.pk)
        )
        if locked.status in (PairingStatus.ACTIVE, PairingStatus.PAUSED):
            Pairing.objects.filter(pk=locked.pk).update(
                status=PairingStatus.CLOSED, closed_at=timezone.now(), next_session_at=None
            )
            free_seats(locked)
        elif locked.status != PairingStatus.CLOSED:
            raise StateError("Only a relationship that has started can be closed.")
        if Reflection.objects.filter(pairing=locked, author=actor).exists():
            raise StateError("You have already written your reflection.")
        reflection = Reflection.objects.create(
            pairing=locked, author=actor, text=text.strip(), rating=rating
        )
    pairing.status = PairingStatus.CLOSED
    return reflection
