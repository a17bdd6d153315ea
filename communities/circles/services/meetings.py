"""A member's side of a meeting: RSVP, attendance, notes, commitment, reflection."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from communities.circles.models import (
    PLACE_MAX_LENGTH,
    VIDEO_URL_MAX_LENGTH,
    Circle,
    CircleMeeting,
    CircleMembership,
    CircleMembershipStatus,
    MeetingNotesRevision,
    MeetingParticipation,
    Rsvp,
    validate_video_url,
)
from communities.circles.services.schedule import reassign_roles
from communities.core import rules as permissions
from communities.core.errors import EditConflict, NotAllowed, ValidationError
from communities.core.text import single_line

COMMITMENT_MAX_LENGTH = 1000
REFLECTION_MAX_LENGTH = 2000
NOTES_MAX_LENGTH = 20000


def clean_place(place: str | None, video_url: str | None) -> tuple[str, str]:
    """(place, video link) as stored: the place one clean line, the link a web address or
    nothing. Raises a `ValidationError` naming the field."""
    place = single_line(place)
    video_url = (video_url or "").strip()
    if len(place) > PLACE_MAX_LENGTH:
        raise ValidationError({"place": f"Keep the place under {PLACE_MAX_LENGTH} characters."})
    if len(video_url) > VIDEO_URL_MAX_LENGTH:
        raise ValidationError(
            {"video_url": f"Keep the link under {VIDEO_URL_MAX_LENGTH} characters."}
        )
    if video_url:
        try:
            validate_video_url(video_url)
        except ValidationError as error:
            raise ValidationError({"video_url": error.messages}) from error
    return place, video_url


def set_meeting_place(
    *, actor, meeting: CircleMeeting, place: str, video_url: str
) -> CircleMeeting:
    """Where one meeting happens: a place, a video link or both; blank falls back to the
    circle's usual ones. For the meeting's facilitator and the community's moderators."""
    if not permissions.can(actor, "edit_meeting_place", meeting):
        raise NotAllowed(
            "Only this meeting's facilitator or a moderator can change where it happens."
        )
    place, video_url = clean_place(place, video_url)
    with transaction.atomic(durable=True):
        updated = CircleMeeting.objects.filter(pk=meeting.pk).update(
            place=place, video_url=video_url
        )
        if not updated:
            raise ValidationError("This meeting no longer exists.")
    meeting.place, meeting.video_url = place, video_url
    return meeting


def has_started(meeting: CircleMeeting) -> bool:
    return meeting.starts_at <= timezone.now()


def has_ended(meeting: CircleMeeting) -> bool:
    return meeting.starts_at + dt.timedelta(minutes=meeting.circle.duration_minutes) <= (
        timezone.now()
    )


def is_circle_member(user, circle: Circle) -> bool:
    """In the circle and still an active member of its community (banned people are not)."""
    return (
        user.is_authenticated
        and permissions.is_active_member(user, circle.community)
        and CircleMembership.objects.filter(
            circle=circle, user_id=user.pk, status=CircleMembershipStatus.ACTIVE
        ).exists()
    )


def _participation(user, meeting: CircleMeeting) -> MeetingParticipation:
    """The member's row for the meeting, locked; call inside a transaction."""
    if not is_circle_member(user, meeting.circle):
        raise ValidationError("Only members of this circle can do that. Join the circle first.")
    if meeting.is_cancelled:
        raise ValidationError("This meeting was cancelled.")
    participation, _ = MeetingParticipation.objects.get_or_create(meeting=meeting, user=user)
    return MeetingParticipation.objects.select_for_update().get(pk=participation.pk)


def set_rsvp(*, user, meeting: CircleMeeting, rsvp: str) -> MeetingParticipation:
    """Say whether one will come. Someone holding a role who says no hands it on."""
    if rsvp not in (Rsvp.YES, Rsvp.NO):
        raise ValidationError("Answer yes or no.")
    if has_started(meeting):
        raise ValidationError("This meeting has already started; there is nothing to answer.")
    with transaction.atomic(durable=True):
        Circle.objects.select_for_update().get(pk=meeting.circle_id)
        meeting = CircleMeeting.objects.select_related("circle__community").get(pk=meeting.pk)
        participation = _participation(user, meeting)
        participation.rsvp = rsvp
        participation.save(update_fields=["rsvp", "updated_at"])
        holders = (meeting.facilitator_id, meeting.timekeeper_id, meeting.note_taker_id)
        holds_role = user.pk in holders
        if rsvp == Rsvp.NO and holds_role:
            for field in ("facilitator_id", "timekeeper_id", "note_taker_id"):
                if getattr(meeting, field) == user.pk:
                    setattr(meeting, field, None)
            reassign_roles(meeting)
    return participation


def mark_attendance(*, user, meeting: CircleMeeting, attended: bool) -> MeetingParticipation:
    """Members mark themselves present (or not) once the meeting has started."""
    if not has_started(meeting):
        raise ValidationError("You can mark attendance once the meeting has started.")
    with transaction.atomic(durable=True):
        participation = _participation(user, meeting)
        participation.attended = bool(attended)
        participation.save(update_fields=["attended", "updated_at"])
    return participation


def save_meeting_notes(
    *, actor, meeting: CircleMeeting, notes: str, base_version: int | None = None
) -> CircleMeeting:
    """The note-taker writes the notes (Markdown); moderators of the community may too.

    `base_version` is the `notes_version` the writer's form started from: if someone saved
    since, `EditConflict` carries both texts and nothing is written. The replaced notes are
    kept as a `MeetingNotesRevision`."""
    if not permissions.can(actor, "write_meeting_notes", meeting):
        raise NotAllowed("Only this meeting's note-taker or a moderator can write its notes.")
    notes = notes.strip()
    if len(notes) > NOTES_MAX_LENGTH:
        raise ValidationError(f"Notes can be up to {NOTES_MAX_LENGTH} characters long.")
    with transaction.atomic(durable=True):
        meeting = CircleMeeting.objects.select_for_update().get(pk=meeting.pk)
        if base_version is not None and base_version != meeting.notes_version:
            raise EditConflict(
                "Someone saved a newer version of these notes after you opened them, so yours "
                "were not saved. Both are below: copy what you need into the newer version "
                "and save again.",
                current=meeting.notes,
                submitted=notes,
                version=meeting.notes_version,
            )
        if notes == meeting.notes:
            return meeting
        if meeting.notes:
            MeetingNotesRevision.objects.create(meeting=meeting, notes=meeting.notes, editor=actor)
        meeting.notes = notes
        meeting.notes_updated_at = timezone.now()
        meeting.notes_version += 1
        meeting.save(update_fields=["notes", "notes_updated_at", "notes_version"])
    return meeting


def set_commitment(*, user, meeting: CircleMeeting, text: str) -> MeetingParticipation:
    """What the member commits to do before the next meeting; it comes back on its agenda."""
    text = text.strip()
    if len(text) > COMMITMENT_MAX_LENGTH:
        raise ValidationError(
            f"Keep your commitment under {COMMITMENT_MAX_LENGTH} characters: one or two steps."
        )
    with transaction.atomic(durable=True):
        participation = _participation(user, meeting)
        participation.commitment = text
        participation.save(update_fields=["commitment", "updated_at"])
    return participation


def leave_reflection(
    *, user, meeting: CircleMeeting, reflection: str, rating
) -> MeetingParticipation:
    """After the meeting, an attendee leaves a short reflection and a 1-5 rating; only the
    facilitator reads them."""
    reflection = (reflection or "").strip()
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError(
            {"rating": "Rate the meeting from 1 (not useful) to 5 (very useful)."}
        )
    if not reflection:
        raise ValidationError({"reflection": "Write a sentence or two about the meeting."})
    if len(reflection) > REFLECTION_MAX_LENGTH:
        raise ValidationError(
            {"reflection": f"Keep your reflection under {REFLECTION_MAX_LENGTH} characters."}
        )
    if not has_ended(meeting):
        raise ValidationError("You can reflect on the meeting once it is over.")
    with transaction.atomic(durable=True):
        participation = _participation(user, meeting)
        if not participation.attended:
            raise ValidationError(
                "Reflections are for people who were there: mark your attendance first."
            )
        participation.reflection = reflection
        participation.rating = rating
        participation.save(update_fields=["reflection", "rating", "updated_at"])
    return participation
