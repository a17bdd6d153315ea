"""Proposals and requests: approving, answering, lapsing; the places they hold.

A mentor's `seats_taken` counts the pairings that hold a place (offered, requested, active,
paused). It changes only here, under a row lock on the mentor profile, in the transaction of
the pairing's change; a check constraint keeps it within capacity even so.
"""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from communities.models import Membership, User
from communities.public import MembershipStatus, Role

from .. import permissions
from ..errors import NotAllowed, StateError, ValidationError
from ..models import (
    SEAT_HOLDING,
    MenteeRequest,
    MentorProfile,
    NoticeKind,
    Pairing,
    PairingStatus,
    Programme,
    ProgrammeKind,
)
from .notices import notify

BUDDY_CHECKLIST = [
    "Say hello and agree how you'll keep in touch",
    "Read the community's guidelines together",
    "Ask your first question or share your first post",
    "Join a circle or an event that suits you",
]


def _profiles_of(pairing: Pairing) -> tuple[list[int], list[int]]:
    """Mentor profile ids and mentee request ids a pairing holds; a reciprocal (peer)
    pairing holds both people's profile and request."""
    mentor_ids, mentee_ids = [pairing.mentor_id], [pairing.mentee_id]
    if pairing.is_reciprocal:
        mentor_ids += list(
            MentorProfile.objects.filter(
                programme_id=pairing.programme_id, user_id=pairing.mentee.user_id
            ).values_list("pk", flat=True)
        )
        mentee_ids += list(
            MenteeRequest.objects.filter(
                programme_id=pairing.programme_id, user_id=pairing.mentor.user_id
            ).values_list("pk", flat=True)
        )
    return mentor_ids, mentee_ids


def take_seats(pairing: Pairing) -> None:
    """Hold a place with each mentor of `pairing`; a full mentor is a clear error."""
    mentor_ids, _ = _profiles_of(pairing)
    for mentor in (
        MentorProfile.objects.select_for_update()
        .filter(pk__in=mentor_ids)
        .order_by("pk")
        .select_related("user")
    ):
        if mentor.seats_taken >= mentor.capacity or not mentor.is_active:
            raise ValidationError(
                f"{mentor.user.public_name} has no free place left in this programme. "
                "Choose another mentor."
            )
        MentorProfile.objects.filter(pk=mentor.pk).update(seats_taken=F("seats_taken") + 1)


def free_seats(pairing: Pairing) -> None:
    mentor_ids, _ = _profiles_of(pairing)
    MentorProfile.objects.filter(pk__in=mentor_ids, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )


def _locked(pairing: Pairing) -> Pairing:
    return (
        Pairing.objects.select_for_update(of=("self",))
        .select_related("programme__community", "mentor__user", "mentee__user")
        .get(pk=pairing.pk)
    )


def _respond_by(programme: Programme) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=programme.request_deadline_days)


def _offer(pairing: Pairing, kind: str = NoticeKind.OFFERED) -> None:
    if Pairing.objects.filter(mentee_id=pairing.mentee_id, status__in=SEAT_HOLDING).exists():
        raise StateError(
            f"{pairing.mentee.user.public_name} already has a mentor or an offer waiting."
        )
    take_seats(pairing)
    now = timezone.now()
    Pairing.objects.filter(pk=pairing.pk).update(
        status=PairingStatus.OFFERED, offered_at=now, respond_by=_respond_by(pairing.programme)
    )
    pairing.status = PairingStatus.OFFERED
    notify(kind=kind, pairing=pairing, recipients=[pairing.mentor.user, pairing.mentee.user])


def approve_proposal(*, actor: User, pairing: Pairing) -> Pairing:
    """The manager sends a proposal to both sides; it holds a place with the mentor."""
    permissions.require(actor, "manage_programme", pairing.programme)
    with transaction.atomic(durable=True):
        pairing = _locked(pairing)
        if pairing.status != PairingStatus.PROPOSED:
            raise StateError("This proposal was already handled.")
        _offer(pairing)
    return pairing


def drop_proposal(*, actor: User, pairing: Pairing) -> Pairing:
    """The manager drops a proposal: it is not sent, and the pair is not proposed again."""
    permissions.require(actor, "manage_programme", pairing.programme)
    with transaction.atomic(durable=True):
        if not Pairing.objects.filter(pk=pairing.pk, status=PairingStatus.PROPOSED).update(
            status=PairingStatus.DROPPED
        ):
            raise StateError("This proposal was already handled.")
    pairing.status = PairingStatus.DROPPED
    return pairing


def request_mentor(*, actor: User, programme: Programme, mentor: MentorProfile) -> Pairing:
    """In a mentee-led programme, the mentee asks one mentor; the request holds a place
    until the mentor answers or it lapses."""
    from .matching import score_one

    permissions.require(actor, "be_mentee", programme)
    if not programme.is_mentee_led:
        raise StateError("In this programme the manager proposes matches.")
    if mentor.programme_id != programme.pk:
        raise ValidationError("Choose a mentor of this programme.")
    request = MenteeRequest.objects.filter(programme=programme, user=actor).first()
    if request is None or request.status != MenteeRequest.Status.WAITING:
        raise ValidationError("Fill in your mentee request first.")
    if Pairing.objects.filter(mentor=mentor, mentee=request).exists():
        raise ValidationError("You asked this mentor before; choose another one.")
    score = score_one(request, mentor)
    if score is None:
        raise ValidationError("You and this mentor share no language; choose another mentor.")
    with transaction.atomic(durable=True):
        MenteeRequest.objects.select_for_update().get(pk=request.pk)
        if Pairing.objects.filter(mentee=request, status__in=SEAT_HOLDING).exists():
            raise StateError("You already have a request or a mentor; wait for their answer.")
        pairing = Pairing.objects.create(
            programme=programme,
            mentor=mentor,
            mentee=request,
            status=PairingStatus.REQUESTED,
            score=score.value,
            reasons=score.reasons,
            mentee_accepted_at=timezone.now(),
            offered_at=timezone.now(),
            respond_by=_respond_by(programme),
        )
        take_seats(pairing)
        notify(kind=NoticeKind.REQUESTED, pairing=pairing, recipients=[mentor.user])
    return pairing


def _expired(pairing: Pairing) -> bool:
    return pairing.respond_by is not None and pairing.respond_by < timezone.now()


def _lapse(pairing: Pairing) -> None:
    Pairing.objects.filter(pk=pairing.pk).update(status=PairingStatus.LAPSED)
    free_seats(pairing)
    notify(kind=NoticeKind.LAPSED, pairing=pairing, recipients=[pairing.mentee.user])


def respond(*, actor: User, pairing: Pairing, accept: bool, message: str = "") -> Pairing:
    """One side accepts or declines. Both accepting makes the relationship active; a decline
    frees the place and keeps the pair out of later runs."""
    if not permissions.is_in_pair(actor, pairing):
        raise NotAllowed("Only the two people of this proposal answer it.")
    if len(message) > 1000:
        raise ValidationError({"message": "Keep the message under 1,000 characters."})
    lapsed = False
    with transaction.atomic(durable=True):
        pairing = _locked(pairing)
        side = pairing.side_of(actor)
        if pairing.status not in (PairingStatus.OFFERED, PairingStatus.REQUESTED):
            state = pairing.get_status_display().lower()
            raise StateError(f"This proposal can't be answered any more: it is {state}.")
        if pairing.status == PairingStatus.REQUESTED and side != "mentor":
            raise StateError("Your request waits for the mentor's answer.")
        if _expired(pairing):
            _lapse(pairing)
            lapsed = True
        elif not accept:
            Pairing.objects.filter(pk=pairing.pk).update(
                status=PairingStatus.DECLINED, declined_by=actor, decline_message=message
            )
            free_seats(pairing)
            other = pairing.mentee.user if side == "mentor" else pairing.mentor.user
            notify(kind=NoticeKind.DECLINED, pairing=pairing, recipients=[other])
        else:
            now = timezone.now()
            field = "mentor_accepted_at" if side == "mentor" else "mentee_accepted_at"
            setattr(pairing, field, now)
            updates = {field: now}
            if message:
                updates[f"{side}_message"] = message
            if pairing.mentor_accepted_at and pairing.mentee_accepted_at:
                _activate(pairing, updates)
            Pairing.objects.filter(pk=pairing.pk).update(**updates)
    if lapsed:
        raise StateError("This proposal lapsed: its answer was due before now.")
    pairing.refresh_from_db()
    return pairing


def _activate(pairing: Pairing, updates: dict) -> None:
    today = timezone.localdate()
    updates.update(
        status=PairingStatus.ACTIVE,
        started_on=today,
        ends_on=today + dt.timedelta(days=pairing.programme.length_days),
        respond_by=None,
    )
    _, mentee_ids = _profiles_of(pairing)
    MenteeRequest.objects.filter(pk__in=mentee_ids).update(
        status=MenteeRequest.Status.MATCHED, matched_at=timezone.now()
    )
    if pairing.programme.kind == ProgrammeKind.BUDDY:
        from ..models import Goal

        Goal.objects.bulk_create(Goal(pairing=pairing, title=t) for t in BUDDY_CHECKLIST)
    notify(
        kind=NoticeKind.ACTIVE,
        pairing=pairing,
        recipients=[pairing.mentor.user, pairing.mentee.user],
    )


def withdraw_request(*, actor: User, pairing: Pairing) -> Pairing:
    """The mentee takes back a request the mentor has not answered."""
    if not permissions.is_in_pair(actor, pairing) or pairing.side_of(actor) != "mentee":
        raise NotAllowed("Only the mentee withdraws their request.")
    with transaction.atomic(durable=True):
        pairing = _locked(pairing)
        if pairing.status != PairingStatus.REQUESTED:
            raise StateError("Only a request still waiting for an answer can be withdrawn.")
        Pairing.objects.filter(pk=pairing.pk).update(status=PairingStatus.WITHDRAWN)
        free_seats(pairing)
    pairing.status = PairingStatus.WITHDRAWN
    return pairing


def lapse_overdue(*, pairing_id: int) -> bool:
    """Lapse one offer or request whose answer is overdue; false when nothing was due."""
    with transaction.atomic(durable=True):
        pairing = (
            Pairing.objects.select_for_update(of=("self",))
            .select_related("programme", "mentor__user", "mentee__user")
            .filter(
                pk=pairing_id,
                status__in=[PairingStatus.OFFERED, PairingStatus.REQUESTED],
                respond_by__lt=timezone.now(),
            )
            .first()
        )
        if pairing is None:
            return False
        _lapse(pairing)
    return True


def pause_for_departed_member(*, membership: Membership) -> int:
    """A member left, was removed or banned: their active relationships in that community's
    programmes pause, and offers or requests they were part of are withdrawn."""
    user_id, community_id = membership.user_id, membership.community_id
    theirs = Pairing.objects.filter(programme__community_id=community_id).filter(
        models_q_person(user_id)
    )
    changed = 0
    with transaction.atomic(durable=True):
        changed += theirs.filter(status=PairingStatus.ACTIVE).update(status=PairingStatus.PAUSED)
        pending = list(
            theirs.select_for_update(of=("self",))
            .filter(status__in=[PairingStatus.OFFERED, PairingStatus.REQUESTED])
            .select_related("mentee__user", "mentor__user")
        )
        for pairing in pending:
            Pairing.objects.filter(pk=pairing.pk).update(status=PairingStatus.WITHDRAWN)
            free_seats(pairing)
        changed += len(pending)
        theirs.filter(status=PairingStatus.PROPOSED).update(status=PairingStatus.DROPPED)
        MentorProfile.objects.filter(programme__community_id=community_id, user_id=user_id).update(
            is_active=False
        )
        MenteeRequest.objects.filter(
            programme__community_id=community_id,
            user_id=user_id,
            status=MenteeRequest.Status.WAITING,
        ).update(status=MenteeRequest.Status.WITHDRAWN)
    return changed


def models_q_person(user_id: int):
    from django.db.models import Q

    return Q(mentor__user_id=user_id) | Q(mentee__user_id=user_id)


def propose_buddy(*, membership: Membership) -> list[Pairing]:
    """A newcomer joined: each open buddy programme of the community proposes a buddy with
    room at once, preferring overlapping hours and shared topics."""
    from .matching import best_buddy

    if membership.status != MembershipStatus.ACTIVE:
        return []
    user = membership.user
    created = []
    programmes = Programme.objects.filter(
        community_id=membership.community_id, kind=ProgrammeKind.BUDDY, is_open=True
    ).select_related("community")
    for programme in programmes:
        with transaction.atomic(durable=True):
            request, _ = MenteeRequest.objects.get_or_create(
                programme=programme,
                user=user,
                defaults={
                    "goals": f"Find my way around {programme.community.name}.",
                    "timezone": user.timezone,
                },
            )
            if request.status != MenteeRequest.Status.WAITING:
                continue
            if Pairing.objects.filter(mentee=request, status__in=SEAT_HOLDING).exists():
                continue
            if not request.topics.exists():
                request.topics.set(user.expertise.all())
            choice = best_buddy(programme, request)
            if choice is None:
                continue
            mentor, score = choice
            pairing = Pairing.objects.create(
                programme=programme,
                mentor=mentor,
                mentee=request,
                status=PairingStatus.PROPOSED,
                score=score.value,
                reasons=score.reasons,
            )
            pairing.programme = programme
            _offer(pairing, kind=NoticeKind.BUDDY)
            created.append(pairing)
    return created


def managers_of(programme: Programme) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            community_id=programme.community_id,
            role=Role.MANAGER,
            status=MembershipStatus.ACTIVE,
        ).select_related("user")
    ]
