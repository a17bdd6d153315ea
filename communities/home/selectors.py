"""Reads for the personal home. Each section is one or two queries however many communities,
threads or meetings the member has; every list starts from the visibility selectors."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from communities.circles.models import Circle, CircleMeeting, CircleMembershipStatus
from communities.circles.selectors import upcoming_meetings_for_member
from communities.core.models.communities import Community, Membership, MembershipStatus, Role
from communities.core.models.joining import JoinRequest, JoinRequestStatus
from communities.core.models.people import User
from communities.core.selectors import visible_communities
from communities.discussions.models.notifications import Follow
from communities.discussions.models.threads import Post, Thread, ThreadKind
from communities.discussions.selectors.threads import threads_in_order, visible_threads
from communities.discussions.selectors.visits import only_unread, unread_counts
from communities.moderation.models import Flag, FlagStatus

MEETINGS_SHOWN = 5
QUESTIONS_SHOWN = 5
FOLLOWED_SHOWN = 10
SUGGESTIONS_SHOWN = 3
ROLE_NAMES = {"facilitator": "Facilitator", "timekeeper": "Timekeeper", "note_taker": "Note taker"}


def my_memberships(user: User) -> list[Membership]:
    """The member's active memberships with their communities, by community name."""
    return list(
        Membership.objects.filter(user_id=user.pk, status=MembershipStatus.ACTIVE)
        .select_related("community")
        .order_by("community__name", "community_id")
    )


def my_circles(user: User) -> list[Circle]:
    """Circles the member sits in, in communities where they are still an active member."""
    return list(
        Circle.objects.filter(
            memberships__user_id=user.pk,
            memberships__status=CircleMembershipStatus.ACTIVE,
            community__memberships__user_id=user.pk,
            community__memberships__status=MembershipStatus.ACTIVE,
        )
        .select_related("community")
        .order_by("community__name", "name", "pk")
    )


def unread_by_place(user: User, community_ids: list[int]) -> tuple[dict, dict]:
    """Threads new to the member, counted by community and by circle (one query)."""
    if not community_ids:
        return {}, {}
    return unread_counts(user, visible_threads(user).filter(community_id__in=community_ids))


def next_meetings(user: User, limit: int = MEETINGS_SHOWN) -> list[CircleMeeting]:
    """The member's next meetings, soonest first, each with `my_roles` (their rotating roles
    at that meeting, in words)."""
    meetings = list(upcoming_meetings_for_member(user)[:limit])
    for meeting in meetings:
        meeting.my_roles = [
            name for role, name in ROLE_NAMES.items() if getattr(meeting, f"{role}_id") == user.pk
        ]
    return meetings


def questions_for_my_expertise(
    user: User, community_ids: list[int], limit: int = QUESTIONS_SHOWN
) -> list[Thread]:
    """Unanswered questions in the member's communities tagged with one of their expertise
    tags, not their own, newest first; the asker shown only as the rules allow."""
    if not community_ids:
        return []
    answered = Exists(
        Post.objects.filter(thread=OuterRef("pk"), parent__isnull=True, is_hidden=False)
    )
    ids = (
        visible_threads(user)
        .filter(
            community_id__in=community_ids,
            kind=ThreadKind.QUESTION,
            accepted_answer__isnull=True,
            is_hidden=False,
            tags__in=user.expertise.values("pk"),
        )
        .exclude(author_id=user.pk)
        .filter(~answered)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    return threads_in_order(user, list(ids[:limit]))


def followed_threads_with_news(user: User, limit: int = FOLLOWED_SHOWN) -> list[Thread]:
    """Threads the member follows that moved since their last visit, latest first."""
    followed = Exists(Follow.objects.filter(user_id=user.pk, thread=OuterRef("pk")))
    ids = (
        only_unread(user, visible_threads(user).filter(followed))
        .order_by("-last_activity_at", "-pk")
        .values_list("pk", flat=True)
    )
    return threads_in_order(user, list(ids[:limit]))


@dataclass
class Waiting:
    """What waits for a manager or moderator in one community."""

    community: Community
    join_requests: int = 0
    flags: int = 0


def waiting_for_me(memberships: list[Membership]) -> list[Waiting]:
    """Join requests waiting in communities the member manages and open flags in those they
    moderate (two grouped queries, none when they hold no such role)."""
    managed = [m.community_id for m in memberships if m.role == Role.MANAGER]
    moderated = [m.community_id for m in memberships if m.role in (Role.MANAGER, Role.MODERATOR)]
    requests: dict[int, int] = {}
    flags: dict[int, int] = {}
    if managed:
        requests = dict(
            JoinRequest.objects.filter(community_id__in=managed, status=JoinRequestStatus.PENDING)
            .order_by()
            .values_list("community_id")
            .annotate(n=Count("pk"))
        )
    if moderated:
        flags = dict(
            Flag.objects.filter(community_id__in=moderated, status=FlagStatus.OPEN)
            .order_by()
            .values_list("community_id")
            .annotate(n=Count("pk"))
        )
    waiting = []
    for membership in memberships:
        item = Waiting(
            community=membership.community,
            join_requests=requests.get(membership.community_id, 0),
            flags=flags.get(membership.community_id, 0),
        )
        if item.join_requests or item.flags:
            waiting.append(item)
    return waiting


@dataclass
class ChecklistStep:
    label: str
    hint: str
    url: str
    is_done: bool


@dataclass
class Checklist:
    steps: list[ChecklistStep] = field(default_factory=list)

    @property
    def is_done(self) -> bool:
        return all(step.is_done for step in self.steps)


def profile_is_complete(user: User, *, has_expertise: bool) -> bool:
    return bool(user.display_name and user.bio.strip() and has_expertise)


def getting_started(user: User, *, has_community: bool, urls: dict[str, str]) -> Checklist:
    """The newcomer's checklist, ticked from what they have done (one query)."""
    mine = Thread.objects.filter(author_id=user.pk)
    done = (
        User.objects.filter(pk=user.pk)
        .annotate(
            has_expertise=Exists(User.expertise.through.objects.filter(user_id=OuterRef("pk"))),
            has_introduced=Exists(mine.exclude(kind=ThreadKind.QUESTION)),
            has_asked=Exists(mine.filter(kind=ThreadKind.QUESTION)),
        )
        .values("has_expertise", "has_introduced", "has_asked")
        .get()
    )
    return Checklist(
        [
            ChecklistStep(
                "Complete your profile",
                "Your name, a few lines about you and the topics you know well.",
                urls["profile"],
                profile_is_complete(user, has_expertise=done["has_expertise"]),
            ),
            ChecklistStep(
                "Join a community",
                "Find people who practise what you practise.",
                urls["communities"],
                has_community,
            ),
            ChecklistStep(
                "Introduce yourself",
                "Start a discussion in your community: who you are and what you work on.",
                urls["communities"],
                done["has_introduced"],
            ),
            ChecklistStep(
                "Ask a first question",
                "No question is too small; you may ask anonymously.",
                urls["communities"],
                done["has_asked"],
            ),
        ]
    )


def suggested_communities(user: User, limit: int = SUGGESTIONS_SHOWN) -> list[Community]:
    """Communities the person may see and is not in, those sharing most tags with their
    expertise first, then the largest; each carries its tags and `shared_tags`."""
    not_mine = ~Q(
        Exists(
            Membership.objects.filter(
                community=OuterRef("pk"), user_id=user.pk, status=MembershipStatus.ACTIVE
            )
        )
    )
    return list(
        visible_communities(user)
        .filter(not_mine)
        .annotate(
            shared_tags=Count("tags", filter=Q(tags__in=user.expertise.values("pk")), distinct=True)
        )
        .prefetch_related("tags")
        .order_by("-shared_tags", "-member_count", "name", "pk")[:limit]
    )
