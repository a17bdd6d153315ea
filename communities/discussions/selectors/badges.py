"""Reads of recognition: a person's badges and a community's rising stars."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from communities.core.models.communities import Community, MembershipStatus
from communities.core.models.people import User
from communities.core.selectors import content_visible_communities
from communities.discussions.models.badges import AwardedBadge, BadgeKind
from communities.discussions.models.threads import Post, Thread

RISING_STAR_DAYS = 30


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
    """Active members with the most questions and answers in the last 30 days, a question
    counting as much as an answer. Anonymous questions (and the asker's replies in them),
    hidden posts and circle threads (private to their circle) never count. Empty when
    `viewer` may not read the community's content. Three queries whatever its size."""
    if not content_visible_communities(viewer).filter(pk=community.pk).exists():
        return []
    since = timezone.now() - timedelta(days=RISING_STAR_DAYS)
    active = Q(
        author__memberships__community=community,
        author__memberships__status=MembershipStatus.ACTIVE,
    )
    questions = dict(
        Thread.objects.filter(
            active,
            community=community,
            circle__isnull=True,
            kind="question",
            is_anonymous=False,
            is_hidden=False,
            created_at__gte=since,
        )
        .values("author_id")
        .annotate(n=Count("pk"))
        .values_list("author_id", "n")
    )
    answers = dict(
        Post.objects.filter(
            active,
            thread__community=community,
            thread__circle__isnull=True,
            thread__is_hidden=False,
            is_hidden=False,
            created_at__gte=since,
        )
        .exclude(thread__is_anonymous=True, thread__author=F("author"))
        .values("author_id")
        .annotate(n=Count("pk"))
        .values_list("author_id", "n")
    )
    scores = {pk: questions.get(pk, 0) + answers.get(pk, 0) for pk in set(questions) | set(answers)}
    top = sorted(scores, key=lambda pk: (-scores[pk], pk))[:limit]
    people = User.objects.in_bulk(top)
    return [
        RisingStar(user=people[pk], questions=questions.get(pk, 0), answers=answers.get(pk, 0))
        for pk in top
        if pk in people
    ]
