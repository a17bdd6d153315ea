"""Reads that mentoring pages and jobs share. Each returns what its page needs, in a number
of queries that does not grow with its rows; pair-private content is read only through
`pairing_for_member`, which answers 404 to everyone but the two people."""

import statistics
from collections import Counter

from django.db.models import Avg, Count, F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from communities.models import Community, User
from communities.public import content_visible_communities

from .models import (
    SEAT_HOLDING,
    Goal,
    MenteeRequest,
    MentoringSession,
    MentorProfile,
    Pairing,
    PairingStatus,
    Programme,
    Reflection,
)
from .services.nudges import lapsed_since

PAGE_SIZE = 50


def programmes_for_community(*, viewer: User, community: Community) -> QuerySet[Programme]:
    if not content_visible_communities(viewer).filter(pk=community.pk).exists():
        return Programme.objects.none()
    return Programme.objects.filter(community=community, is_open=True).order_by("name", "pk")


def programme_for_viewer(viewer: User, pk: int) -> Programme:
    """The programme if `viewer` may read its community's members-only content; 404 else."""
    return get_object_or_404(
        Programme.objects.select_related("community").filter(
            community__in=content_visible_communities(viewer)
        ),
        pk=pk,
    )


def mentor_directory(programme: Programme, *, page: int = 1) -> list[MentorProfile]:
    """Mentors with room, their people and topics; paged."""
    start = (max(page, 1) - 1) * PAGE_SIZE
    return list(
        MentorProfile.objects.filter(programme=programme, is_active=True)
        .filter(capacity__gt=F("seats_taken"))
        .select_related("user")
        .prefetch_related("topics")
        .order_by("pk")[start : start + PAGE_SIZE]
    )


def proposals_for_review(programme: Programme) -> list[Pairing]:
    return list(
        Pairing.objects.filter(programme=programme, status=PairingStatus.PROPOSED)
        .select_related("mentor__user", "mentee__user")
        .order_by("-score", "pk")[:500]
    )


def waiting_mentees(programme: Programme, *, limit: int = PAGE_SIZE) -> list[MenteeRequest]:
    """Mentees still waiting, the longest waiting first."""
    return list(
        MenteeRequest.objects.filter(programme=programme, status=MenteeRequest.Status.WAITING)
        .exclude(pairings__status__in=SEAT_HOLDING)
        .select_related("user")
        .order_by("created_at", "pk")[:limit]
    )


def relationships_for_manager(programme: Programme, *, limit: int = PAGE_SIZE) -> list[Pairing]:
    """Offers, active, paused and closed relationships with their dates and cadence health;
    never notes, goals or reflections (only the fields named here are read)."""
    today = timezone.localdate()
    rows = list(
        Pairing.objects.filter(
            programme=programme, status__in=[*SEAT_HOLDING, PairingStatus.CLOSED]
        )
        .select_related("mentor__user", "mentee__user", "programme")
        .only(
            "status",
            "started_on",
            "ends_on",
            "closed_at",
            "last_session_on",
            "session_count",
            "stall_count",
            "offered_at",
            "programme__cadence_days",
            "mentor__user__username",
            "mentor__user__display_name",
            "mentee__user__username",
            "mentee__user__display_name",
        )
        .order_by("status", "-started_on", "-pk")[:limit]
    )
    for pairing in rows:
        pairing.health = health_of(pairing, today)
    return rows


def health_of(pairing: Pairing, today) -> str:
    if pairing.status != PairingStatus.ACTIVE:
        return "—"
    if lapsed_since(pairing, today) is not None:
        return "quiet: no session for a while"
    return "on track"


def programme_stats(programme: Programme) -> dict:
    """Counts for the manager's page, in a fixed number of queries."""
    counts = Counter(
        dict(
            Pairing.objects.filter(programme=programme)
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    mentors = MentorProfile.objects.filter(programme=programme, is_active=True).count()
    waiting = (
        MenteeRequest.objects.filter(programme=programme, status=MenteeRequest.Status.WAITING)
        .exclude(pairings__status__in=SEAT_HOLDING)
        .count()
    )
    matched = list(
        MenteeRequest.objects.filter(programme=programme, matched_at__isnull=False)
        .order_by("-matched_at")
        .values_list("created_at", "matched_at")[:1000]
    )
    days = [(b - a).total_seconds() / 86400 for a, b in matched]
    started = Pairing.objects.filter(
        programme=programme, status__in=[PairingStatus.ACTIVE, PairingStatus.PAUSED, "closed"]
    ).aggregate(n=Count("pk"), sessions=Avg("session_count"))
    ratings = Reflection.objects.filter(pairing__programme=programme).aggregate(
        avg=Avg("rating"), n=Count("pk")
    )
    return {
        "mentors": mentors,
        "waiting": waiting,
        "proposals": counts[PairingStatus.PROPOSED],
        "offers": counts[PairingStatus.OFFERED] + counts[PairingStatus.REQUESTED],
        "active": counts[PairingStatus.ACTIVE],
        "paused": counts[PairingStatus.PAUSED],
        "closed": counts[PairingStatus.CLOSED],
        "declined": counts[PairingStatus.DECLINED],
        "median_days_to_match": round(statistics.median(days), 1) if days else None,
        "sessions_per_relationship": round(started["sessions"], 1) if started["n"] else None,
        "rating": round(ratings["avg"], 1) if ratings["n"] else None,
        "ratings": ratings["n"],
    }


def pairing_for_member(viewer: User, pk: int) -> Pairing:
    """The pairing if `viewer` is its mentor or mentee; 404 for everyone else, staff too."""
    if not viewer.is_authenticated:
        raise Http404
    return get_object_or_404(
        Pairing.objects.select_related(
            "programme__community", "mentor__user", "mentee__user"
        ).filter(Q(mentor__user_id=viewer.pk) | Q(mentee__user_id=viewer.pk)),
        pk=pk,
    )


def pairing_page(pairing: Pairing, *, sessions_limit: int = 100) -> dict:
    """Goals, sessions (newest first) and reflections of a pairing, for its pair's page."""
    goals = list(Goal.objects.filter(pairing=pairing))
    sessions = list(
        MentoringSession.objects.filter(pairing=pairing)
        .select_related("logged_by")
        .order_by("-held_on", "-pk")[:sessions_limit]
    )
    reflections = list(Reflection.objects.filter(pairing=pairing).select_related("author"))
    return {"goals": goals, "sessions": sessions, "reflections": reflections}


def my_mentoring(user: User) -> dict:
    """A person's mentoring: their pairings (with what waits for them), profiles, requests."""
    pairings = list(
        Pairing.objects.filter(Q(mentor__user_id=user.pk) | Q(mentee__user_id=user.pk))
        .exclude(status=PairingStatus.PROPOSED)
        .select_related("programme__community", "mentor__user", "mentee__user")
        .order_by("-created_at", "-pk")[:100]
    )
    for pairing in pairings:
        side = pairing.side_of(user)
        pairing.my_side = side
        mine = pairing.mentor_accepted_at if side == "mentor" else pairing.mentee_accepted_at
        pairing.waits_for_me = (
            pairing.status in (PairingStatus.OFFERED, PairingStatus.REQUESTED) and mine is None
        )
        pairing.other = pairing.mentee.user if side == "mentor" else pairing.mentor.user
    profiles = list(MentorProfile.objects.filter(user=user).select_related("programme__community"))
    requests = list(MenteeRequest.objects.filter(user=user).select_related("programme__community"))
    return {
        "pairings": pairings,
        "actions": [p for p in pairings if p.waits_for_me],
        "profiles": profiles,
        "requests": requests,
    }


def mentor_for_user(programme: Programme, user: User) -> MentorProfile | None:
    if not user.is_authenticated:
        return None
    return (
        MentorProfile.objects.filter(programme=programme, user=user)
        .prefetch_related("topics")
        .first()
    )


def request_for_user(programme: Programme, user: User) -> MenteeRequest | None:
    if not user.is_authenticated:
        return None
    return MenteeRequest.objects.filter(programme=programme, user=user).first()
