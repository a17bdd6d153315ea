"""Whole-pool matching from the database: load profiles and community activity in a fixed
number of queries, score every pair, find the optimal assignment, write proposals."""

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from communities.models import Post, User
from communities.public import notify as notify_in_app

from .. import permissions
from ..errors import StateError, ValidationError
from ..matching import best_assignment, best_peer_pairs
from ..models import (
    SEAT_HOLDING,
    MenteeRequest,
    MentorProfile,
    Pairing,
    PairingStatus,
    Programme,
)
from ..scoring import Activity, Person, Score, Weights, score_matrix, score_pair, utc_hours
from .pairings import managers_of


def weights_of(programme: Programme) -> Weights:
    return Weights(
        topics=programme.weight_topics,
        experience=programme.weight_experience,
        timezone=programme.weight_timezone,
        language=programme.weight_language,
        activity=programme.weight_activity,
    )


def person(profile: MentorProfile | MenteeRequest, topic_names: Sequence[str]) -> Person:
    today = timezone.localdate()
    return Person(
        user_id=profile.user_id,
        topics=frozenset(topic_names),
        experiences=frozenset(profile.experience_list),
        languages=frozenset(profile.language_list),
        hours_utc=utc_hours(profile.timezone, profile.hours_from, profile.hours_to, today),
    )


def _topic_names(queryset, model) -> dict[int, list[str]]:
    """Topic names per row id, in one query through the m2m table."""
    through = model.topics.through
    fk = f"{model._meta.model_name}_id"
    names: dict[int, list[str]] = defaultdict(list)
    ids = queryset.values("pk") if hasattr(queryset, "values") else [row.pk for row in queryset]
    rows = through.objects.filter(**{f"{fk}__in": ids}).values_list(fk, "tag__name")
    for row_id, name in rows:
        names[row_id].append(name)
    return names


def activity_by_mentor(programme: Programme, mentor_user_ids=None) -> dict[int, dict]:
    """Per mentor (user id) and topic: answers, accepted and verified answers and thanks
    received in the programme's community, on public questions. One aggregate query."""
    mentors = (
        mentor_user_ids
        if mentor_user_ids is not None
        else MentorProfile.objects.filter(programme=programme).values("user_id")
    )
    rows = (
        Post.objects.filter(
            author_id__in=mentors,
            parent__isnull=True,
            is_hidden=False,
            thread__community_id=programme.community_id,
            thread__circle__isnull=True,
            thread__is_hidden=False,
            thread__kind="question",
        )
        .values("author_id", "thread__tags__name")
        .annotate(
            answers=Count("pk"),
            accepted=Count("pk", filter=Q(thread__accepted_answer_id=F("pk"))),
            verified=Count("pk", filter=Q(thread__verified_answer_id=F("pk"))),
            thanks=Sum("thanks_count"),
        )
        .order_by()
    )
    result: dict[int, dict] = defaultdict(dict)
    for row in rows:
        if row["thread__tags__name"] is None:
            continue
        result[row["author_id"]][row["thread__tags__name"]] = Activity(
            answers=row["answers"],
            accepted=row["accepted"],
            verified=row["verified"],
            thanks=row["thanks"] or 0,
        )
    return result


class Pool:
    """Everything a run needs, loaded at once."""

    def __init__(self, programme: Programme, mentees, mentors):
        self.programme = programme
        self.mentees = list(mentees)
        self.mentors = list(mentors)
        mentee_topics = _topic_names(mentees, MenteeRequest)
        mentor_topics = _topic_names(mentors, MentorProfile)
        self.mentee_people = [person(m, mentee_topics.get(m.pk, ())) for m in self.mentees]
        self.mentor_people = [person(m, mentor_topics.get(m.pk, ())) for m in self.mentors]
        activity = activity_by_mentor(programme, [m.user_id for m in self.mentors])
        self.activity = [activity.get(m.user_id) for m in self.mentors]
        self.weights = weights_of(programme)
        mentee_index = {m.pk: i for i, m in enumerate(self.mentees)}
        mentor_index = {m.pk: j for j, m in enumerate(self.mentors)}
        # Any earlier pairing (declined, dropped, lapsed, live...) keeps the pair apart.
        earlier = Pairing.objects.filter(programme=programme).values_list("mentee_id", "mentor_id")
        self.excluded = [
            (mentee_index[a], mentor_index[b])
            for a, b in earlier
            if a in mentee_index and b in mentor_index
        ]
        self.preferred = {
            (i, mentor_index[m.preferred_mentor_id])
            for i, m in enumerate(self.mentees)
            if m.preferred_mentor_id in mentor_index
        }

    def matrix(self) -> np.ndarray:
        return score_matrix(
            self.mentee_people,
            self.mentor_people,
            self.weights,
            self.activity,
            self.excluded,
            self.preferred,
        )

    def explain(self, i: int, j: int) -> Score | None:
        return score_pair(
            self.mentee_people[i],
            self.mentor_people[j],
            self.weights,
            self.activity[j],
            is_preferred=(i, j) in self.preferred,
        )


def _waiting_mentees(programme: Programme):
    return MenteeRequest.objects.filter(
        programme=programme, status=MenteeRequest.Status.WAITING
    ).exclude(pairings__status__in=SEAT_HOLDING)


def _mentors_with_room(programme: Programme):
    return MentorProfile.objects.filter(
        programme=programme, is_active=True, seats_taken__lt=F("capacity")
    )


def run_matching(*, actor: User, programme: Programme) -> list[Pairing]:
    """Replace the programme's unreviewed proposals with the optimal set: the most waiting
    mentees matched, then the highest total score, within every mentor's free places."""
    permissions.require(actor, "manage_programme", programme)
    if programme.is_mentee_led:
        raise StateError("In a mentee-led programme mentees choose; there is no run.")
    with transaction.atomic(durable=True):
        # One run at a time per programme: the lock queues a second click behind the first.
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        Pairing.objects.filter(programme=programme, status=PairingStatus.PROPOSED).delete()
        mentees = _waiting_mentees(programme).order_by("created_at", "pk")
        if programme.is_peer:
            proposals = _run_peer(programme, mentees)
            _tell_managers(programme, proposals, actor=actor)
            return proposals
        mentors = _mentors_with_room(programme).select_related("user").order_by("pk")
        pool = Pool(programme, mentees, mentors)
        capacities = [m.capacity - m.seats_taken for m in pool.mentors]
        assignment = best_assignment(pool.matrix(), capacities)
        proposals = []
        for i, j in enumerate(assignment):
            if j is None:
                continue
            score = pool.explain(i, j)
            proposals.append(
                Pairing(
                    programme=programme,
                    mentor=pool.mentors[j],
                    mentee=pool.mentees[i],
                    status=PairingStatus.PROPOSED,
                    score=score.value,
                    reasons=score.reasons,
                )
            )
        Pairing.objects.bulk_create(proposals)
        _tell_managers(programme, proposals, actor=actor)
    return proposals


def _tell_managers(programme: Programme, proposals: list[Pairing], *, actor: User) -> None:
    """The programme's other managers find the run's proposals in their notifications, in
    the run's transaction, once per run (keyed by its first proposal). The notice counts
    them and names nobody: who is paired with whom stays on the review page."""
    if not proposals:
        return
    first = min(pairing.pk for pairing in proposals)
    count = len(proposals)
    message = Truncator(
        f"{programme.name}: {count} mentoring {'match waits' if count == 1 else 'matches wait'}"
        " for your review."
    ).chars(200)
    url = reverse("mentoring:proposal-list", args=[programme.pk])
    for manager in managers_of(programme):
        if manager.pk != actor.pk:
            notify_in_app(
                manager, event=f"mentoring:run:{first}", message=message, url=url, actor=actor
            )


def _run_peer(programme: Programme, mentees) -> list[Pairing]:
    """Peer coaching: people with both a profile and a request pair up reciprocally; the
    weight of a pair is the sum of what each can offer the other."""
    mentees = list(mentees.order_by("pk"))
    profiles = {
        p.user_id: p
        for p in _mentors_with_room(programme).filter(user_id__in=[m.user_id for m in mentees])
    }
    mentees = [m for m in mentees if m.user_id in profiles]
    mentors = [profiles[m.user_id] for m in mentees]
    pool = Pool(
        programme,
        MenteeRequest.objects.filter(pk__in=[m.pk for m in mentees]).order_by("pk"),
        MentorProfile.objects.filter(pk__in=[m.pk for m in mentors])
        .select_related("user")
        .order_by("user_id"),
    )
    # Align mentor j with mentee j (same person) by user id.
    by_user = {m.user_id: j for j, m in enumerate(pool.mentors)}
    order = [by_user[m.user_id] for m in pool.mentees]
    one_way = pool.matrix()[:, order]
    both = one_way + one_way.T
    pairs = best_peer_pairs(both)
    proposals = []
    for a, b in pairs:
        mentor_j = order[a]
        score_ab = pool.explain(b, mentor_j)  # what a offers b
        score_ba = pool.explain(a, order[b])
        reasons = [
            f"{pool.mentors[mentor_j].user.public_name} offers: {r}" for r in score_ab.reasons
        ]
        reasons += [
            f"{pool.mentors[order[b]].user.public_name} offers: {r}" for r in score_ba.reasons
        ]
        proposals.append(
            Pairing(
                programme=programme,
                mentor=pool.mentors[mentor_j],
                mentee=pool.mentees[b],
                status=PairingStatus.PROPOSED,
                score=round((score_ab.value + score_ba.value) / 2, 2),
                reasons=reasons,
                is_reciprocal=True,
            )
        )
    Pairing.objects.bulk_create(proposals)
    return proposals


def score_one(request: MenteeRequest, mentor: MentorProfile) -> Score | None:
    programme = request.programme
    mentee_topics = [t.name for t in request.topics.all()]
    mentor_topics = [t.name for t in mentor.topics.all()]
    activity = activity_by_mentor(programme, [mentor.user_id]).get(mentor.user_id)
    return score_pair(
        person(request, mentee_topics),
        person(mentor, mentor_topics),
        weights_of(programme),
        activity,
    )


def ranked_mentors(request: MenteeRequest, *, limit: int = 20) -> list[tuple[MentorProfile, Score]]:
    """Mentors with room, best first, with reasons: the mentee-led list. Pairs that were
    tried before are left out. A fixed number of queries."""
    programme = request.programme
    mentors = _mentors_with_room(programme).select_related("user").order_by("pk")
    pool = Pool(programme, MenteeRequest.objects.filter(pk=request.pk), mentors)
    if not pool.mentors:
        return []
    row = pool.matrix()[0]
    order = [j for j in np.argsort(-np.nan_to_num(row, nan=-1.0)) if not np.isnan(row[j])]
    return [(pool.mentors[j], pool.explain(0, j)) for j in order[:limit]]


def best_buddy(programme: Programme, request: MenteeRequest):
    """The best buddy with room whose working hours overlap the newcomer's, or None."""
    mentors = _mentors_with_room(programme).select_related("user").order_by("pk")
    pool = Pool(programme, MenteeRequest.objects.filter(pk=request.pk), mentors)
    if not pool.mentors:
        return None
    row = pool.matrix()[0]
    newcomer = pool.mentee_people[0]
    for j in np.argsort(-np.nan_to_num(row, nan=-1.0)):
        if np.isnan(row[j]):
            break
        if newcomer.hours_utc & pool.mentor_people[j].hours_utc:
            return pool.mentors[j], pool.explain(0, j)
    return None


def swap_proposal(*, actor: User, pairing: Pairing) -> Pairing:
    """Replace a proposal's mentor with the next best allowed one who still has room after
    the other proposals of this run; the replaced pair is not proposed again, and neither is
    any pair tried before (declined, dropped, lapsed, live)."""
    programme = pairing.programme
    permissions.require(actor, "manage_programme", programme)
    with transaction.atomic(durable=True):
        # Behind a run or another swap of this programme, so two swaps can't both count the
        # same free place.
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
        if pairing.status != PairingStatus.PROPOSED:
            raise StateError("This proposal was already handled.")
        if pairing.is_reciprocal:
            raise StateError(
                "Peer pairs trade both ways: drop this one and run matching again instead."
            )
        planned = dict(
            Pairing.objects.filter(programme=programme, status=PairingStatus.PROPOSED)
            .values_list("mentor_id")
            .annotate(n=Count("pk"))
        )
        mentors = [
            m
            for m in _mentors_with_room(programme).select_related("user").order_by("pk")
            if m.capacity - m.seats_taken - planned.get(m.pk, 0) > 0
        ]
        Pairing.objects.filter(pk=pairing.pk).update(status=PairingStatus.DROPPED)
        request = MenteeRequest.objects.get(pk=pairing.mentee_id)
        pool = Pool(programme, MenteeRequest.objects.filter(pk=request.pk), mentors)
        if not pool.mentors:
            raise ValidationError("No other mentor with room fits this mentee.")
        row = pool.matrix()[0]
        if np.all(np.isnan(row)):
            raise ValidationError("No other mentor with room fits this mentee.")
        j = int(np.nanargmax(row))
        score = pool.explain(0, j)
        return Pairing.objects.create(
            programme=programme,
            mentor=pool.mentors[j],
            mentee=request,
            status=PairingStatus.PROPOSED,
            score=score.value,
            reasons=score.reasons,
        )
