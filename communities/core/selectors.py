"""Reads shared by pages, jobs and the API. Visibility is decided here and only here."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from communities.core.models.communities import (
    Community,
    LifecycleTransition,
    Membership,
    MembershipStatus,
    Role,
    Visibility,
)
from communities.core.models.joining import Invitation, JoinRequest, JoinRequestStatus


def active_membership_q(viewer, community_ref: str = "pk") -> Q:
    """`Q` for rows whose community (`community_ref` from the outer row) has `viewer` as an
    active member; a join on membership, not a per-object check."""
    return Q(
        Exists(
            Membership.objects.filter(
                community=OuterRef(community_ref),
                user_id=viewer.pk,
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
    communities = Community.objects.all()
    if getattr(viewer, "is_staff", False):
        return communities
    if not viewer.is_authenticated:
        return communities.filter(visibility=Visibility.OPEN, is_held_for_review=False)
    return communities.filter(Q(visibility=Visibility.OPEN) | active_membership_q(viewer))


def membership_of(viewer, community: Community) -> Membership | None:
    if not viewer.is_authenticated:
        return None
    return Membership.objects.filter(user_id=viewer.pk, community=community).first()


def community_for_viewer(viewer, slug: str) -> Community:
    """The community with `slug` if `viewer` may know it exists; 404 otherwise."""
    return get_object_or_404(visible_communities(viewer), slug=slug)


def community_content_for_viewer(viewer, slug: str) -> Community:
    """The community with `slug` if `viewer` may read its members-only content; 404 otherwise."""
    return get_object_or_404(content_visible_communities(viewer), slug=slug)


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
