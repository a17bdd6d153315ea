"""Reads of recognition: a person's badges and a community's rising stars."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, OuterRef, QuerySet, Sum, Value, When

from communities.core.models.communities import Community, Membership, MembershipStatus
from communities.core.models.people import User
from communities.core.selectors import content_visible_communities
from communities.discussions.models.badges import AwardedBadge, BadgeKind
from communities.discussions.models.contributions import ContributionRollup, DailyContribution
from communities.discussions.selectors.contributions import (
    counted_answers,
    counted_questions,
    window_start,
)


def badges_for_profile(*, viewer, person: User) -> QuerySet[AwardedBadge]:
    """`person`'s badges in communities whose members-only content `viewer` may read, so a
    badge never reveals a membership the viewer may not know about."""
    return (
        AwardedBadge.objects.filter(user=person, community__in=content_visible_communities(viewer))
        .select_related("community", "tag")
        .order_by("community__name", "kind", "tag__name")
    )


def verified_experts(*, community: Community) -> QuerySet[AwardedBadge]:
    return (
        AwardedBadge.objects.filter(community=community, kind=BadgeKind.VERIFIED_EXPERT)
        .select_related("user", "tag", "awarded_by")
        .order_by("tag__name", "user__username")
    )


@dataclass
class RisingStar:
    user: User
    questions: int
    answers: int

    @property
    def score(self) -> int:
        return self.questions + self.answers


def rising_stars(*, viewer, community: Community, limit: int = 5) -> list[RisingStar]:
    """Active members with the most questions and answers today and in the 30 days before
    (UTC), a question counting as much as an answer; `selectors/contributions.py` says what
    counts. Empty when `viewer` may not read the community's content.

    The days the roll-up job has counted are read from its rows (at most 31 per member,
    through their index); only what came after its last run is counted live, so the time
    does not grow with the community. Six queries whatever its size."""
    if not content_visible_communities(viewer).filter(pk=community.pk).exists():
        return []
    since = window_start()
    mark = (
        ContributionRollup.objects.filter(community=community)
        .values_list("counted_until", flat=True)
        .first()
    )
    live_since = max(since, mark) if mark else since
    active = _is_active_member(community, "author_id")
    scores: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for column, found in enumerate(
        (
            counted_questions(community_ids=[community.pk], since=live_since),
            counted_answers(community_ids=[community.pk], since=live_since),
        )
    ):
        for author_id, n in (
            found.filter(active)
            .values("author_id")
            .annotate(n=Count("pk"))
            .values_list("author_id", "n")
            .order_by()
        ):
            scores[author_id][column] += n
    if mark:
        _add_rolled_up(scores, community=community, since=since, limit=limit)
    top = sorted(scores, key=lambda pk: (-sum(scores[pk]), pk))[:limit]
    people = User.objects.in_bulk(top)
    return [
        RisingStar(user=people[pk], questions=scores[pk][0], answers=scores[pk][1])
        for pk in top
        if pk in people
    ]


def _add_rolled_up(scores: dict[int, list[int]], *, community, since, limit: int) -> None:
    """Add the rolled-up days to `scores`: one query for the members counted live (the top may
    hold any of them) and the best `limit` of the others, who alone can reach the top."""
    live = list(scores)
    rows = (
        DailyContribution.objects.filter(community=community, day__gte=since.date())
        .filter(_is_active_member(community, "user_id"))
        .values("user_id")
        .annotate(q=Sum("questions"), a=Sum("answers"))
        .annotate(total=F("q") + F("a"))
    )
    if live:
        rows = rows.annotate(
            is_live=Case(When(user_id__in=live, then=Value(1)), default=Value(0))
        ).order_by("-is_live", "-total", "user_id")
    else:
        rows = rows.order_by("-total", "user_id")
    for row in rows[: limit + len(live)]:
        scores[row["user_id"]][0] += row["q"]
        scores[row["user_id"]][1] += row["a"]


def _is_active_member(community: Community, person_field: str) -> Exists:
    """Asked at read time, so a member who left or was banned drops out at once."""
    return Exists(
        Membership.objects.filter(
            user_id=OuterRef(person_field), community=community, status=MembershipStatus.ACTIVE
        )
    )
