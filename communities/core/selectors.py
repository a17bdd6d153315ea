"""Reads shared by pages, jobs and the API. Visibility is decided here and only here."""

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404

from communities.core.compiled import compiled
from communities.core.models.communities import (
    Community,
    LifecycleTransition,
    Membership,
    MembershipStatus,
    Role,
    Visibility,
)
from communities.core.models.joining import Invitation, JoinRequest, JoinRequestStatus
from communities.core.models.people import User
from communities.core.rules import remembered
from communities.core.stemming import stem_prefix

# Words of a name search taken into account (the rest are ignored).
FIND_WORDS = 6


def active_membership_q(viewer, community_ref: str = "pk") -> Q:
    """`Q` for rows whose community (`community_ref` from the outer row) has `viewer` as an
    active member; a join on membership, not a per-object check."""
    return _active_member_q(viewer.pk, community_ref)


def _active_member_q(user_id, community_ref: str = "pk") -> Q:
    return Q(
        Exists(
            Membership.objects.filter(
                community=OuterRef(community_ref),
                user_id=user_id,
                status=MembershipStatus.ACTIVE,
            )
        )
    )


def visible_communities(viewer) -> QuerySet[Community]:
    """Communities `viewer` may know exist: open and restricted ones, and private ones they
    belong to. Staff see everything. Every list, count and search starts here. Anonymous
    visitors don't see communities held for review (started by a brand-new account)."""
    communities = Community.objects.all()
    if getattr(viewer, "is_staff", False):
        return communities
    public = Q(visibility__in=[Visibility.OPEN, Visibility.RESTRICTED])
    if not viewer.is_authenticated:
        return communities.filter(public, is_held_for_review=False)
    return communities.filter(public | active_membership_q(viewer))


def content_visible_communities(viewer) -> QuerySet[Community]:
    """Communities whose members-only content (circles, member directory) `viewer` may read:
    open communities, and any community where they are an active member. Staff see all."""
    # Built once per page (`rules.remembering`): the filter is lazy SQL, the same all request.
    built = remembered(viewer, ("content-visible-communities",), lambda: _content_visible(viewer))
    return built.all()


def _content_visible(viewer) -> QuerySet[Community]:
    return _content_visible_to(_kind_of_viewer(viewer), viewer.pk)


def _kind_of_viewer(viewer) -> str:
    if getattr(viewer, "is_staff", False):
        return "staff"
    return "member" if viewer.is_authenticated else "anonymous"


def _content_visible_to(kind: str, viewer_pk) -> QuerySet[Community]:
    communities = Community.objects.all()
    if kind == "staff":
        return communities
    if kind == "anonymous":
        return communities.filter(visibility=Visibility.OPEN, is_held_for_review=False)
    return communities.filter(Q(visibility=Visibility.OPEN) | _active_member_q(viewer_pk))


def membership_of(viewer, community: Community) -> Membership | None:
    if not viewer.is_authenticated:
        return None
    return Membership.objects.filter(user_id=viewer.pk, community=community).first()


def community_for_viewer(viewer, slug: str) -> Community:
    """The community with `slug` if `viewer` may know it exists; 404 otherwise."""
    return get_object_or_404(visible_communities(viewer), slug=slug)


def community_content_for_viewer(viewer, slug: str) -> Community:
    """The community with `slug` if `viewer` may read its members-only content; 404 otherwise.
    Every thread and circle page asks: its SQL is compiled once per kind of viewer."""
    kind = _kind_of_viewer(viewer)
    if kind == "member":
        rows = compiled(
            ("community-content", kind),
            lambda s, pk: _content_visible_to(kind, pk).filter(slug=s)[:1],
            slug,
            viewer.pk,
        )
    else:
        rows = compiled(
            ("community-content", kind),
            lambda s: _content_visible_to(kind, None).filter(slug=s)[:1],
            slug,
        )
    if not rows:
        raise Http404
    return rows[0]


def community_directory(
    *, viewer, query: str = "", kind: str = "", stage: str = "", tag: str = "", mine: bool = False
) -> QuerySet[Community]:
    """Communities `viewer` may see, searched by name and purpose and filtered by kind,
    stage and tag (and, with `mine`, those they are an active member of), carrying their
    tags."""
    communities = visible_communities(viewer)
    if mine:
        communities = communities.filter(active_membership_q(viewer))
    if query:
        communities = communities.filter(Q(name__icontains=query) | Q(purpose__icontains=query))
    if kind:
        communities = communities.filter(kind=kind)
    if stage:
        communities = communities.filter(stage=stage)
    if tag:
        communities = communities.filter(tags__name=tag)
    return communities.prefetch_related("tags").order_by("name", "pk")


def community_leaders(community: Community) -> QuerySet[Membership]:
    """Active managers and champions, managers first, carrying the user."""
    return (
        Membership.objects.filter(
            community=community,
            status=MembershipStatus.ACTIVE,
            role__in=[Role.MANAGER, Role.CHAMPION],
        )
        .select_related("user")
        .order_by("-role", "user__display_name", "user__username")
    )


def member_directory(
    *, viewer, community: Community, query: str = "", tag: str = ""
) -> QuerySet[Membership]:
    """Active memberships of `community` (the caller has checked `viewer` may see them),
    searched by name or handle and expertise tag; each carries its user and their expertise."""
    members = Membership.objects.filter(community=community, status=MembershipStatus.ACTIVE)
    if query:
        members = members.filter(
            Q(user__display_name__icontains=query) | Q(user__username__icontains=query)
        )
    if tag:
        members = members.filter(user__expertise__name=tag)
    return (
        members.select_related("user", "community")
        .prefetch_related("user__expertise")
        .order_by("user__display_name", "user__username")
    )


def memberships_in_order(ids) -> list[Membership]:
    """A page of the member directory's ids as its rows (user, expertise), in that order,
    in a constant number of queries: the page is taken first, through the index."""
    ids = list(ids)
    rows = Membership.objects.select_related("user", "community").prefetch_related(
        "user__expertise"
    )
    by_pk = rows.in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk]


def pending_join_requests(community: Community) -> QuerySet[JoinRequest]:
    """Requests waiting for a manager, oldest first, carrying the person and their expertise."""
    return (
        JoinRequest.objects.filter(community=community, status=JoinRequestStatus.PENDING)
        .select_related("user")
        .prefetch_related("user__expertise")
        .order_by("created_at", "pk")
    )


def stage_history(community: Community) -> QuerySet[LifecycleTransition]:
    return LifecycleTransition.objects.filter(community=community).select_related("actor")


def community_invitations(community: Community) -> QuerySet[Invitation]:
    return Invitation.objects.filter(community=community).select_related("invitee", "created_by")


def _name_terms(query: str) -> list[str]:
    """The words of `query` for substring matches on names and tags, each cut to what it
    shares with its stem ("facilitating" -> "facilit"). `%` and `_` stay literal: icontains
    escapes them."""
    return [
        stem_prefix(word) if word.isalpha() else word for word in (query or "").split()[:FIND_WORDS]
    ]


def find_communities(*, viewer, query: str, limit: int) -> list[Community]:
    """Communities `viewer` may know exist whose name, purpose or one of its tags holds each
    word of `query`, those named by the first word first, then by name: at most `limit` + 1
    (the extra one tells the caller there are more), carrying their tags."""
    terms = _name_terms(query)
    if not terms:
        return []
    communities = visible_communities(viewer)
    for term in terms:
        tagged = Community.tags.through.objects.filter(
            community_id=OuterRef("pk"), tag__name__icontains=term
        )
        communities = communities.filter(
            Q(name__icontains=term) | Q(purpose__icontains=term) | Exists(tagged)
        )
    named = Case(When(name__icontains=terms[0], then=Value(0)), default=Value(1))
    return list(
        communities.annotate(named_first=named)
        .prefetch_related("tags")
        .order_by("named_first", "name", "pk")[: limit + 1]
    )


def find_people(*, viewer, query: str, limit: int, community: Community | None = None) -> list:
    """Active people whose display name, handle or one of whose expertise tags holds each word
    of `query`, among those `viewer` could already find in a member directory: active members
    of a community whose members-only content they may read (of `community` alone when
    given); staff find anyone active. Never through what people wrote, so an anonymous
    question never names its asker. At most `limit` + 1, carrying their expertise."""
    terms = _name_terms(query)
    if not terms:
        return []
    memberships = Membership.objects.filter(
        user_id=OuterRef("pk"),
        status=MembershipStatus.ACTIVE,
        community__in=content_visible_communities(viewer),
    )
    people = User.objects.filter(is_active=True)
    if community is not None:
        people = people.filter(Exists(memberships.filter(community=community)))
    elif not getattr(viewer, "is_staff", False):
        people = people.filter(Exists(memberships))
    for term in terms:
        expert = User.expertise.through.objects.filter(
            user_id=OuterRef("pk"), tag__name__icontains=term
        )
        people = people.filter(
            Q(display_name__icontains=term) | Q(username__icontains=term) | Exists(expert)
        )
    return list(
        people.prefetch_related("expertise").order_by("display_name", "username", "pk")[: limit + 1]
    )
