"""Reads shared by pages, jobs and the API. Visibility is decided here and only here."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from communities.models import Community, Membership
from communities.models.communities import MembershipStatus, Visibility


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
    belong to. Staff see everything. Every list, count and search starts here."""
    communities = Community.objects.all()
    if getattr(viewer, "is_staff", False):
        return communities
    public = Q(visibility__in=[Visibility.OPEN, Visibility.RESTRICTED])
    if not viewer.is_authenticated:
        return communities.filter(public)
    return communities.filter(public | active_membership_q(viewer))


def content_visible_communities(viewer) -> QuerySet[Community]:
    """Communities whose members-only content (circles, member directory) `viewer` may read:
    open communities, and any community where they are an active member. Staff see all."""
    communities = Community.objects.all()
    if getattr(viewer, "is_staff", False):
        return communities
    if not viewer.is_authenticated:
        return communities.filter(visibility=Visibility.OPEN)
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
