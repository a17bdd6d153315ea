"""Opening programmes and filling in profiles."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from communities.models import Community, Tag, User
from communities.public import clean_tag_names, render_markdown

from .. import permissions
from ..models import (
    CAPACITY_MAX,
    CAPACITY_MIN,
    LIVE,
    MatchingMode,
    MenteeRequest,
    MentorProfile,
    Programme,
    ProgrammeKind,
)

WEIGHT_FIELDS = (
    "weight_topics",
    "weight_experience",
    "weight_timezone",
    "weight_language",
    "weight_activity",
)


def _clean_list(raw: str) -> str:
    items = []
    for part in (raw or "").replace(";", ",").split(","):
        item = " ".join(part.split()).lower()
        if item and item not in items:
            items.append(item)
    return ", ".join(items)


def _check_hours(timezone_name: str, hours_from: int, hours_to: int) -> None:
    if timezone_name not in zoneinfo.available_timezones():
        raise ValidationError({"timezone": "Choose a timezone from the list."})
    for name, value in (("hours_from", hours_from), ("hours_to", hours_to)):
        if not 0 <= int(value) <= 23:
            raise ValidationError({name: "Hours run from 0 to 23."})
    if hours_from == hours_to:
        raise ValidationError({"hours_to": "Give at least one hour you are available."})


def _tags(names) -> list[Tag]:
    raw = names.split(",") if isinstance(names, str) else [getattr(n, "name", n) for n in names]
    try:
        names = clean_tag_names(raw)
    except ValidationError as error:
        raise ValidationError({"topics": error.message_dict["tags"]}) from None
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    return [existing.get(n) or Tag.objects.get_or_create(name=n)[0] for n in names]


def _check_programme_fields(fields: dict) -> None:
    if not (fields.get("name") or "").strip():
        raise ValidationError({"name": "Give the programme a name."})
    for name in WEIGHT_FIELDS:
        if name in fields and not 0 <= float(fields[name]) <= 10:
            raise ValidationError({name: "Weights run from 0 to 10."})
    if all(float(fields.get(name, 1)) == 0 for name in WEIGHT_FIELDS):
        raise ValidationError("At least one weight must be above 0.")


def create_programme(*, actor: User, community: Community, **fields) -> Programme:
    """Open a programme in `community` (its managers only). Weights are 0-10."""
    permissions.require(actor, "create_programme", community)
    _check_programme_fields(fields)
    kind = fields.get("kind", ProgrammeKind.MENTORING)
    if kind in (ProgrammeKind.PEER, ProgrammeKind.BUDDY):
        # Peer pairs and buddies are matched by the pool or at once, never requested.
        fields["matching_mode"] = MatchingMode.WHOLE_POOL
    if kind == ProgrammeKind.BUDDY:
        fields.setdefault("length_days", 90)
    fields["experience_options"] = _clean_list(fields.get("experience_options", ""))
    with transaction.atomic(durable=True):
        programme = Programme(community=community, created_by=actor, **fields)
        programme.guide_html = render_markdown(programme.guide)
        programme.full_clean()
        programme.save()
    return programme


EDITABLE = (
    "name",
    "purpose",
    "mentor_eligibility",
    "cadence_days",
    "length_days",
    "request_deadline_days",
    "experience_options",
    "guide",
    "is_open",
    *WEIGHT_FIELDS,
)


def update_programme(*, actor: User, programme: Programme, **fields) -> Programme:
    """The manager changes a programme's settings; its kind and matching mode stay as they
    were opened, since pairings already rely on them. Closing it stops new profiles."""
    permissions.require(actor, "manage_programme", programme)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"These settings can't be changed: {', '.join(sorted(unknown))}.")
    merged = {name: getattr(programme, name) for name in EDITABLE} | fields
    _check_programme_fields(merged)
    merged["experience_options"] = _clean_list(merged["experience_options"])
    with transaction.atomic(durable=True):
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        for name in EDITABLE:
            setattr(locked, name, merged[name])
        locked.guide_html = render_markdown(locked.guide)
        locked.full_clean()
        locked.save(update_fields=[*EDITABLE, "guide_html"])
    return locked


def _check_experiences(programme: Programme, experiences: str) -> str:
    cleaned = _clean_list(experiences)
    allowed = set(programme.experience_choices)
    unknown = [e for e in cleaned.split(", ") if e and e not in allowed]
    if unknown:
        raise ValidationError(
            {
                "experiences": "Choose lived experience from the programme's list: "
                + (", ".join(sorted(allowed)) or "this programme lists none")
                + "."
            }
        )
    return cleaned


def save_mentor_profile(
    *,
    actor: User,
    programme: Programme,
    topics,
    capacity: int,
    timezone_name: str,
    hours_from: int,
    hours_to: int,
    languages: str,
    experiences: str = "",
    pitch: str = "",
) -> MentorProfile:
    """Create or update `actor`'s mentor profile. Capacity is 1-10 and can't drop below the
    places already taken; a mentor needs at least one topic and one language."""
    permissions.require(actor, "be_mentor", programme)
    if capacity is None or not CAPACITY_MIN <= int(capacity) <= CAPACITY_MAX:
        raise ValidationError(
            {"capacity": f"Capacity is between {CAPACITY_MIN} and {CAPACITY_MAX} mentees."}
        )
    tag_list = _tags(topics)
    if not tag_list:
        raise ValidationError({"topics": "Name at least one topic you can help with."})
    languages = _clean_list(languages)
    if not languages:
        raise ValidationError({"languages": "Name at least one language you speak."})
    _check_hours(timezone_name, hours_from, hours_to)
    experiences = _check_experiences(programme, experiences)
    with transaction.atomic(durable=True):
        profile = (
            MentorProfile.objects.select_for_update()
            .filter(programme=programme, user=actor)
            .first()
        )
        if profile is not None and int(capacity) < profile.seats_taken:
            raise ValidationError(
                {
                    "capacity": f"You already have {profile.seats_taken} mentees or offers; "
                    "capacity can't be lower."
                }
            )
        profile = profile or MentorProfile(programme=programme, user=actor)
        profile.capacity = int(capacity)
        profile.timezone = timezone_name
        profile.hours_from, profile.hours_to = int(hours_from), int(hours_to)
        profile.languages = languages
        profile.experiences = experiences
        profile.pitch = pitch
        profile.is_active = True
        profile.save()
        profile.topics.set(tag_list)
    return profile


def save_mentee_request(
    *,
    actor: User,
    programme: Programme,
    goals: str,
    topics,
    timezone_name: str,
    hours_from: int,
    hours_to: int,
    languages: str,
    experiences: str = "",
    preferred_mentor: MentorProfile | None = None,
) -> MenteeRequest:
    """Create or update `actor`'s request; editable until matched."""
    permissions.require(actor, "be_mentee", programme)
    if not (goals or "").strip():
        raise ValidationError({"goals": "Say in a sentence or two what you want to achieve."})
    tag_list = _tags(topics)
    if not tag_list:
        raise ValidationError({"topics": "Name at least one topic you want help with."})
    languages = _clean_list(languages)
    if not languages:
        raise ValidationError({"languages": "Name at least one language you speak."})
    _check_hours(timezone_name, hours_from, hours_to)
    experiences = _check_experiences(programme, experiences)
    if preferred_mentor is not None and preferred_mentor.programme_id != programme.pk:
        raise ValidationError({"preferred_mentor": "Choose a mentor of this programme."})
    with transaction.atomic(durable=True):
        request = (
            MenteeRequest.objects.select_for_update()
            .filter(programme=programme, user=actor)
            .first()
        )
        if request is not None and request.status == MenteeRequest.Status.MATCHED:
            raise ValidationError("You are already matched in this programme.")
        if request is not None and request.pairings.filter(status__in=LIVE[1:]).exists():
            raise ValidationError(
                "Your request has an offer waiting for an answer; it can't change now."
            )
        request = request or MenteeRequest(programme=programme, user=actor)
        request.goals = goals.strip()
        request.timezone = timezone_name
        request.hours_from, request.hours_to = int(hours_from), int(hours_to)
        request.languages = languages
        request.experiences = experiences
        request.preferred_mentor = preferred_mentor
        if request.status == MenteeRequest.Status.WITHDRAWN:
            request.status = MenteeRequest.Status.WAITING
            request.created_at = timezone.now()
        request.save()
        request.topics.set(tag_list)
    return request
