"""Reads for the health dashboard and the staff overview. Each returns everything its page
shows in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from communities import hooks
from communities.health import network as net
from communities.health.models import HealthSnapshot, ProposalStatus, StageProposal
from communities.models import Community, Flag, Membership, Post, Thread, User
from communities.public import FlagStatus, MembershipStatus, ThreadKind

HISTORY_DAYS = 26 * 7
NETWORK_DAYS = 30
# The picture stays readable (and its query bounded) in the largest community.
NETWORK_MAX_REPLIES = 2000
PICTURE_EDGES = 400
ITEMS_SHOWN = 5
WAITING_HOURS = 4
DRIFT_WEEKS = 4


def weekly_history(community: Community, *, days: int = HISTORY_DAYS) -> list[HealthSnapshot]:
    """One snapshot a week (the last of each 7 days, counting back from the latest) over the
    last `days` days, oldest first."""
    rows = list(
        HealthSnapshot.objects.filter(
            community=community,
            taken_on__gte=timezone.now().date() - dt.timedelta(days=days),
        ).order_by("-taken_on")
    )
    if not rows:
        return []
    latest = rows[0].taken_on
    weekly: dict[int, HealthSnapshot] = {}
    for row in rows:
        weekly.setdefault((latest - row.taken_on).days // 7, row)
    return [weekly[week] for week in sorted(weekly, reverse=True)]


def all_snapshots(community: Community) -> QuerySet[HealthSnapshot]:
    """Every daily snapshot of the community, oldest first (the CSV streams it)."""
    return HealthSnapshot.objects.filter(community=community).order_by("taken_on")


def pending_proposal(community: Community) -> StageProposal | None:
    return StageProposal.objects.filter(community=community, status=ProposalStatus.PENDING).first()


@dataclass
class Node:
    key: str
    label: str
    x: float
    y: float
    is_connector: bool = False
    is_anonymous: bool = False


@dataclass
class NetworkPicture:
    nodes: list[Node] = field(default_factory=list)
    edges: list[tuple[Node, Node, float]] = field(default_factory=list)
    connectors: list[tuple[User, float]] = field(default_factory=list)
    isolated: list[User] = field(default_factory=list)
    isolated_count: int = 0
    measures: dict = field(default_factory=dict)


def help_acts(community: Community, *, since: dt.datetime) -> list[net.Help]:
    """The acts of help in the community since `since` (the most recent replies, capped),
    with every anonymous asker folded into one unnamed node."""
    rows = (
        Post.objects.filter(thread__community=community, created_at__gte=since)
        .order_by("-created_at")
        .values_list(
            "author_id",
            "thread__author_id",
            "thread__is_anonymous",
            "parent__author_id",
            "thread__accepted_answer_id",
            "pk",
        )[:NETWORK_MAX_REPLIES]
    )
    acts = []
    for author_id, asker_id, is_anonymous, parent_author_id, accepted_id, pk in rows:
        helped = parent_author_id or asker_id
        if is_anonymous and helped == asker_id:
            helped = net.ANONYMOUS
        if author_id is None or helped is None or (is_anonymous and author_id == asker_id):
            continue
        weight = net.ACCEPTED_WEIGHT if pk == accepted_id else net.REPLY_WEIGHT
        acts.append(net.Help(author_id, helped, weight))
    return acts


def network_picture(
    community: Community, latest: HealthSnapshot | None, *, show_names: bool
) -> NetworkPicture:
    """The help network of the last 30 days drawn from spring-layout positions, with the
    connectors and isolated members of the latest snapshot. Names only when `show_names`
    (managers); the anonymous node is never named. Two queries."""
    picture = NetworkPicture(measures=(latest.network if latest else {}) or {})
    connector_scores = dict(map(tuple, picture.measures.get("connectors", [])))
    graph = net.picture_graph(
        net.help_graph(
            help_acts(community, since=timezone.now() - dt.timedelta(days=NETWORK_DAYS))
        ),
        keep=connector_scores,
    )
    positions = net.layout(graph)
    isolated_ids = picture.measures.get("isolated", [])
    picture.isolated_count = len(isolated_ids)
    wanted = (
        {n for n in graph if n != net.ANONYMOUS}
        | set(connector_scores)
        | set(isolated_ids[:ITEMS_SHOWN])
    )
    people = User.objects.in_bulk(wanted) if show_names and wanted else {}
    nodes = {}
    for number, (key, (x, y)) in enumerate(sorted(positions.items(), key=lambda i: str(i[0]))):
        if key == net.ANONYMOUS:
            label = "Anonymous askers"
        elif show_names and key in people:
            label = people[key].public_name
        else:
            label = f"Member {number + 1}"
        nodes[key] = Node(
            key=str(key),
            label=label,
            x=round(20 + x * 560, 1),
            y=round(20 + y * 360, 1),
            is_connector=key in connector_scores,
            is_anonymous=key == net.ANONYMOUS,
        )
    picture.nodes = list(nodes.values())
    heaviest = sorted(graph.edges(data="weight"), key=lambda edge: -edge[2])[:PICTURE_EDGES]
    picture.edges = [(nodes[a], nodes[b], weight) for a, b, weight in heaviest]
    if show_names:
        picture.connectors = [
            (people[pk], score) for pk, score in connector_scores.items() if pk in people
        ]
        picture.isolated = [people[pk] for pk in isolated_ids[:ITEMS_SHOWN] if pk in people]
    return picture


@dataclass
class Action:
    verb: str  # plant, water, weed, harvest
    label: str
    count: int
    url: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # (text, url)


def waiting_questions(community: Community, *, now: dt.datetime) -> QuerySet[Thread]:
    """Questions asked over 4 hours ago that nobody but the asker has answered."""
    answered = Post.objects.filter(thread=OuterRef("pk"), is_hidden=False).exclude(
        author=OuterRef("author")
    )
    return Thread.objects.filter(
        community=community,
        kind=ThreadKind.QUESTION,
        is_hidden=False,
        created_at__lte=now - dt.timedelta(hours=WAITING_HOURS),
    ).filter(~Exists(answered))


def gardener_actions(community: Community, *, now: dt.datetime | None = None) -> list[Action]:
    """The next actions for a community's gardeners, each a link to where it is done. Circle
    threads are counted but never listed by title. A fixed number of queries."""
    now = now or timezone.now()
    slug = community.slug
    actions = []

    if not Thread.objects.filter(
        community=community, created_at__gte=now - dt.timedelta(days=7)
    ).exists():
        actions.append(
            Action(
                "plant",
                "No new thread for a week: schedule a prompt to start one",
                1,
                reverse("communities:prompt-list", args=[slug]),
            )
        )

    waiting = waiting_questions(community, now=now)
    counted = waiting.aggregate(
        total=Count("pk"), in_circles=Count("pk", filter=Q(circle__isnull=False))
    )
    listed = list(
        waiting.filter(circle__isnull=True)
        .order_by("created_at")
        .values("pk", "title")[:ITEMS_SHOWN]
    )
    if counted["total"]:
        items = [
            (row["title"], reverse("communities:thread-detail", args=[slug, row["pk"]]))
            for row in listed
        ]
        if counted["in_circles"]:
            items.append((f"{counted['in_circles']} more in circles", ""))
        actions.append(
            Action(
                "water",
                f"Questions waiting over {WAITING_HOURS} hours",
                counted["total"],
                reverse("communities:thread-list", args=[slug]) + "?status=unanswered",
                items,
            )
        )

    # Answers to their anonymous questions don't count: the list changing when one is
    # answered would tell who asked it.
    replied_to = Post.objects.filter(
        thread__community=community, thread__author=OuterRef("user"), thread__is_anonymous=False
    ).exclude(author=OuterRef("user"))
    newcomers = (
        Membership.objects.filter(
            community=community,
            status=MembershipStatus.ACTIVE,
            joined_at__gte=now - dt.timedelta(days=7),
        )
        .exclude(user=community.created_by_id)
        .filter(~Exists(replied_to))
        .select_related("user")
        .order_by("joined_at")
    )
    newcomer_list = list(newcomers[: ITEMS_SHOWN + 1])
    if newcomer_list:
        actions.append(
            Action(
                "water",
                "Newcomers in their first week nobody has welcomed or answered yet",
                len(newcomer_list) if len(newcomer_list) <= ITEMS_SHOWN else newcomers.count(),
                reverse("communities:member-list", args=[slug]),
                [
                    (
                        m.user.public_name,
                        reverse("communities:profile-detail", args=[m.user.username]),
                    )
                    for m in newcomer_list[:ITEMS_SHOWN]
                ],
            )
        )

    drift_start = now - dt.timedelta(weeks=DRIFT_WEEKS)
    wrote_before = Post.objects.filter(
        thread__community=community,
        author=OuterRef("user"),
        created_at__gte=drift_start - dt.timedelta(weeks=8),
        created_at__lt=drift_start,
    )
    started_before = Thread.objects.filter(
        community=community,
        author=OuterRef("user"),
        created_at__gte=drift_start - dt.timedelta(weeks=8),
        created_at__lt=drift_start,
    )
    wrote_since = Post.objects.filter(
        thread__community=community, author=OuterRef("user"), created_at__gte=drift_start
    )
    started_since = Thread.objects.filter(
        community=community, author=OuterRef("user"), created_at__gte=drift_start
    )
    drifting = (
        Membership.objects.filter(community=community, status=MembershipStatus.ACTIVE)
        .filter(Exists(wrote_before) | Exists(started_before))
        .filter(~Exists(wrote_since), ~Exists(started_since))
        .select_related("user")
        .order_by("user__display_name")
    )
    drifting_list = list(drifting[: ITEMS_SHOWN + 1])
    if drifting_list:
        actions.append(
            Action(
                "water",
                # Not CHAOSS's inactive contributors (anyone who ever wrote and not in
                # the 30 days): these were writing lately, so a word may bring them back.
                f"Members drifting away: wrote in the 8 weeks before, silent for "
                f"{DRIFT_WEEKS} weeks",
                len(drifting_list) if len(drifting_list) <= ITEMS_SHOWN else drifting.count(),
                reverse("communities:member-list", args=[slug]),
                [
                    (
                        m.user.public_name,
                        reverse("communities:profile-detail", args=[m.user.username]),
                    )
                    for m in drifting_list[:ITEMS_SHOWN]
                ],
            )
        )

    open_flags = Flag.objects.filter(community=community, status=FlagStatus.OPEN).count()
    hidden = Thread.objects.filter(community=community, is_hidden=True).count() + (
        Post.objects.filter(thread__community=community, is_hidden=True).count()
    )
    queue = reverse("communities:moderation-queue", args=[slug])
    if open_flags:
        actions.append(Action("weed", "Flags waiting for a moderator", open_flags, queue))
    if hidden:
        actions.append(Action("weed", "Hidden threads and replies to review", hidden, queue))

    for callback in hooks.registered(hooks.GARDENER_ACTIONS):
        for extra in callback(community) or []:
            actions.append(
                Action(
                    extra.get("verb", "act"),
                    # "title" too: a registered action may name its words either way.
                    extra.get("label") or extra.get("title", ""),
                    int(extra.get("count", 0)),
                    extra.get("url", ""),
                    list(extra.get("items", [])),
                )
            )
    return actions


def _person_link(user: User) -> tuple[str, str]:
    return (user.public_name, reverse("communities:profile-detail", args=[user.username]))


@dataclass
class OverviewRow:
    community: Community
    latest: HealthSnapshot | None
    earlier: HealthSnapshot | None
    waiting: int
    open_flags: int
    has_proposal: bool
    registered: int = 0  # actions other packages count (hooks.GARDENER_ACTION_COUNTS)

    @property
    def actions_waiting(self) -> int:
        return self.waiting + self.open_flags + int(self.has_proposal) + self.registered

    @property
    def trend_members(self) -> str:
        return self._trend("members")

    @property
    def trend_active(self) -> str:
        return self._trend("active_members")

    @property
    def trend_posts(self) -> str:
        return self._trend("posts_week")

    def _trend(self, attribute: str) -> str:
        """An arrow and its words: up or down over 5% against 4 weeks before."""
        if self.latest is None or self.earlier is None:
            return ""
        now, before = getattr(self.latest, attribute), getattr(self.earlier, attribute)
        if now > before * 1.05:
            return "↑ up"
        if now < before * 0.95:
            return "↓ down"
        return "→ steady"


def overview_rows(communities: Sequence[Community]) -> list[OverviewRow]:
    """The staff overview of a page of communities: latest snapshot, the one 4 weeks before,
    questions waiting, open flags, pending proposals and what other packages count through
    `hooks.GARDENER_ACTION_COUNTS`. Five queries for any page, plus one per registered
    counter."""
    ids = [c.pk for c in communities]
    latest_day = {
        row["community_id"]: row["taken_on"]
        for row in HealthSnapshot.objects.filter(community_id__in=ids)
        .values("community_id")
        .annotate(taken_on=Max("taken_on"))
    }
    wanted = Q(pk__in=[])
    for community_id, day in latest_day.items():
        wanted |= Q(community_id=community_id, taken_on__in=[day, day - dt.timedelta(weeks=4)])
    snapshots = {(s.community_id, s.taken_on): s for s in HealthSnapshot.objects.filter(wanted)}
    now = timezone.now()
    answered = Post.objects.filter(thread=OuterRef("pk"), is_hidden=False).exclude(
        author=OuterRef("author")
    )
    waiting = dict(
        Thread.objects.filter(
            community_id__in=ids,
            kind=ThreadKind.QUESTION,
            is_hidden=False,
            created_at__lte=now - dt.timedelta(hours=WAITING_HOURS),
        )
        .filter(~Exists(answered))
        .values("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
    )
    flags = dict(
        Flag.objects.filter(community_id__in=ids, status=FlagStatus.OPEN)
        .values("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
    )
    proposals = set(
        StageProposal.objects.filter(
            community_id__in=ids, status=ProposalStatus.PENDING
        ).values_list("community_id", flat=True)
    )
    registered: dict[int, int] = {}
    for callback in hooks.registered(hooks.GARDENER_ACTION_COUNTS):
        for community_id, count in (callback(ids) or {}).items():
            registered[community_id] = registered.get(community_id, 0) + int(count)
    rows = []
    for community in communities:
        day = latest_day.get(community.pk)
        rows.append(
            OverviewRow(
                community=community,
                latest=snapshots.get((community.pk, day)),
                earlier=snapshots.get((community.pk, day - dt.timedelta(weeks=4))) if day else None,
                waiting=waiting.get(community.pk, 0),
                open_flags=flags.get(community.pk, 0),
                has_proposal=community.pk in proposals,
                registered=registered.get(community.pk, 0),
            )
        )
    return rows


def overview_communities() -> QuerySet[Community]:
    return Community.objects.order_by("name", "pk")
