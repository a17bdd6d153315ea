"""Meeting pages: agenda, roles, RSVP, attendance, notes, commitments and reflections."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from communities.circles.forms import (
    CommitmentForm,
    MeetingPlaceForm,
    NotesForm,
    ReflectionForm,
)
from communities.circles.models import CircleMeeting
from communities.circles.selectors import (
    circle_for_viewer,
    meeting_agenda,
    meeting_for_viewer,
    participations_of_meeting,
)
from communities.circles.services import meetings as meeting_services
from communities.circles.services.reminders import read_rsvp_token
from communities.core import rules as permissions
from communities.core.access import add_service_error, community_for, remember_permissions
from communities.core.errors import EditConflict
from communities.core.models.people import User


def _meeting(request, slug: str, circle_slug: str, sequence: int) -> CircleMeeting:
    """The meeting, if the viewer is an active member of its community (or staff); 404
    otherwise, so a meeting never reveals more than the circle page does."""
    community = community_for(request, slug, "view_meetings", content=True, hide=True)
    circle = circle_for_viewer(viewer=request.user, community=community, slug=circle_slug)
    return meeting_for_viewer(circle=circle, sequence=sequence)


ROLES = ("facilitator", "timekeeper", "note_taker")


def _render(request, meeting: CircleMeeting, *, status: int = 200, **forms):
    agenda = meeting_agenda(meeting)
    mine = next(
        (row["participation"] for row in agenda if row["member"].pk == request.user.pk), None
    )
    is_member = any(row["member"].pk == request.user.pk for row in agenda)
    may_see_reflections = permissions.can(request.user, "see_reflections", meeting)
    may_write_notes = permissions.can(request.user, "write_meeting_notes", meeting)
    may_edit_place = permissions.can(request.user, "edit_meeting_place", meeting)
    context = {
        "community": meeting.circle.community,
        "circle": meeting.circle,
        "meeting": meeting,
        "agenda": agenda,
        "mine": mine,
        "is_member": is_member,
        "my_roles": {role: getattr(meeting, f"{role}_id") == request.user.pk for role in ROLES},
        "has_started": meeting_services.has_started(meeting),
        "has_ended": meeting_services.has_ended(meeting),
        "may_write_notes": may_write_notes,
        "may_edit_place": may_edit_place,
        "place_form": forms.get("place_form")
        or MeetingPlaceForm(initial={"place": meeting.place, "video_url": meeting.video_url}),
        "reflections": (
            [p for p in participations_of_meeting(meeting) if p.rating]
            if may_see_reflections
            else None
        ),
        "notes_form": forms.get("notes_form")
        or NotesForm(initial={"notes": meeting.notes, "base_version": meeting.notes_version}),
        "notes_conflict": forms.get("notes_conflict"),
        # Only a second save can have replaced earlier notes: no query before that.
        "notes_revisions": list(meeting.notes_revisions.select_related("editor")[:20])
        if may_write_notes and meeting.notes_version > 1
        else (),
        "commitment_form": forms.get("commitment_form")
        or CommitmentForm(initial={"commitment": mine.commitment if mine else ""}),
        "reflection_form": forms.get("reflection_form")
        or ReflectionForm(
            initial={"reflection": mine.reflection, "rating": mine.rating} if mine else None
        ),
    }
    return render(request, "communities/circles/meeting_detail.html", context, status=status)


def _back(meeting: CircleMeeting):
    return redirect(
        "communities:meeting-detail",
        slug=meeting.circle.community.slug,
        circle_slug=meeting.circle.slug,
        sequence=meeting.sequence,
    )


@login_required
@remember_permissions
def meeting_detail(request, slug: str, circle_slug: str, sequence: int):
    return _render(request, _meeting(request, slug, circle_slug, sequence))


@login_required
@require_POST
def meeting_rsvp(request, slug: str, circle_slug: str, sequence: int):
    meeting = _meeting(request, slug, circle_slug, sequence)
    try:
        participation = meeting_services.set_rsvp(
            user=request.user, meeting=meeting, rsvp=request.POST.get("rsvp", "")
        )
    except ValidationError as error:
        if request.headers.get("HX-Request"):
            return render(
                request,
                "communities/circles/_rsvp.html",
                {"meeting": meeting, "mine": None, "error": " ".join(error.messages)},
            )
        messages.error(request, " ".join(error.messages))
        return _back(meeting)
    if request.headers.get("HX-Request"):
        return render(
            request, "communities/circles/_rsvp.html", {"meeting": meeting, "mine": participation}
        )
    messages.success(request, "Thanks, your answer is saved.")
    return _back(meeting)


@login_required
@require_POST
def meeting_attendance(request, slug: str, circle_slug: str, sequence: int):
    meeting = _meeting(request, slug, circle_slug, sequence)
    try:
        meeting_services.mark_attendance(
            user=request.user, meeting=meeting, attended=request.POST.get("attended") == "yes"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your attendance is marked.")
    return _back(meeting)


@login_required
@require_POST
def meeting_notes(request, slug: str, circle_slug: str, sequence: int):
    meeting = _meeting(request, slug, circle_slug, sequence)
    permissions.require(request.user, "write_meeting_notes", meeting)
    form = NotesForm(request.POST)
    if form.is_valid():
        try:
            meeting_services.save_meeting_notes(
                actor=request.user,
                meeting=meeting,
                notes=form.cleaned_data["notes"],
                base_version=form.cleaned_data["base_version"],
            )
        except EditConflict as conflict:
            # Show both texts; the form now starts from the newer version, so merging and
            # saving again works.
            meeting.refresh_from_db()
            form = NotesForm(
                initial={"notes": conflict.submitted, "base_version": conflict.version}
            )
            return _render(request, meeting, status=409, notes_form=form, notes_conflict=conflict)
        except ValidationError as error:
            form.add_error("notes", error)
        else:
            messages.success(request, "The notes are saved.")
            return _back(meeting)
    return _render(request, meeting, notes_form=form)


@login_required
@require_POST
def meeting_place(request, slug: str, circle_slug: str, sequence: int):
    meeting = _meeting(request, slug, circle_slug, sequence)
    permissions.require(request.user, "edit_meeting_place", meeting)
    form = MeetingPlaceForm(request.POST)
    if form.is_valid():
        try:
            meeting_services.set_meeting_place(
                actor=request.user,
                meeting=meeting,
                place=form.cleaned_data["place"],
                video_url=form.cleaned_data["video_url"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Where the meeting happens is saved.")
            return _back(meeting)
    return _render(request, meeting, place_form=form)


@dataclass(frozen=True)
class OwnWords:
    """A member's own words on a meeting: the form, its name on the page, how the service
    saves them (`save(user, meeting, cleaned_data)`) and what the member is told."""

    form_class: type
    form_name: str
    save: Callable
    done: str


COMMITMENT = OwnWords(
    CommitmentForm,
    "commitment_form",
    lambda user, meeting, data: meeting_services.set_commitment(
        user=user, meeting=meeting, text=data["commitment"]
    ),
    "Your commitment is saved; it comes back on the next agenda.",
)
REFLECTION = OwnWords(
    ReflectionForm,
    "reflection_form",
    lambda user, meeting, data: meeting_services.leave_reflection(
        user=user, meeting=meeting, reflection=data["reflection"], rating=data["rating"]
    ),
    "Thank you. Your facilitator will read your reflection.",
)


def _save_own_words(request, slug: str, circle_slug: str, sequence: int, words: OwnWords):
    """Save a commitment or reflection through its service, then back to the meeting, or
    the page again with the form's errors."""
    meeting = _meeting(request, slug, circle_slug, sequence)
    form = words.form_class(request.POST)
    if form.is_valid():
        try:
            words.save(request.user, meeting, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, words.done)
            return _back(meeting)
    return _render(request, meeting, **{words.form_name: form})


@login_required
@require_POST
def meeting_commitment(request, slug: str, circle_slug: str, sequence: int):
    return _save_own_words(request, slug, circle_slug, sequence, COMMITMENT)


@login_required
@require_POST
def meeting_reflection(request, slug: str, circle_slug: str, sequence: int):
    return _save_own_words(request, slug, circle_slug, sequence, REFLECTION)


def rsvp_from_email(request, token: str):
    """The page a reminder's yes/no link opens: it asks to confirm with a button, because
    following a link (or a mail scanner prefetching it) must never change anything."""
    try:
        user_id, meeting_id, answer = read_rsvp_token(token)
        meeting = CircleMeeting.objects.select_related("circle__community").get(pk=meeting_id)
        person = User.objects.get(pk=user_id, is_active=True)
    except (ValidationError, CircleMeeting.DoesNotExist, User.DoesNotExist) as error:
        message = (
            " ".join(error.messages)
            if isinstance(error, ValidationError)
            else "This link is not valid any more."
        )
        return render(
            request, "communities/circles/rsvp_email.html", {"error": message}, status=400
        )
    context = {"meeting": meeting, "answer": answer, "person": person, "done": False}
    if request.method == "POST":
        try:
            meeting_services.set_rsvp(user=person, meeting=meeting, rsvp=answer)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
        else:
            context["done"] = True
    return render(request, "communities/circles/rsvp_email.html", context)
