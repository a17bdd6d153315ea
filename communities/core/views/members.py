from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from communities.core import rules as permissions
from communities.core.access import (
    SignInFirst,
    add_service_error,
    community_for,
    remember_permissions,
    signin_redirect,
)
from communities.core.forms.communities import RemoveForm, RoleForm
from communities.core.models.communities import Membership, MembershipStatus
from communities.core.selectors import member_directory, memberships_in_order
from communities.core.services.membership import ban_member, change_role, remove_member

MEMBERS_PER_PAGE = 50


@signin_redirect
@remember_permissions
def member_list(request, slug: str):
    community = community_for(request, slug, signed_in=False)
    if not permissions.can(request.user, "see_community_content", community):
        if not request.user.is_authenticated:
            raise SignInFirst
        permissions.require(request.user, "see_community_content", community)
    query = request.GET.get("q", "").strip()
    tag = request.GET.get("tag", "").strip().lower()
    members = member_directory(viewer=request.user, community=community, query=query, tag=tag)
    # Ids first: the page of ids through the index, then only those rows are loaded.
    ids = members.select_related(None).prefetch_related(None).values_list("pk", flat=True)
    page = Paginator(ids, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = memberships_in_order(page.object_list)
    return render(
        request,
        "communities/member_list.html",
        {
            "community": community,
            "page": page,
            "q": query,
            "tag": tag,
            "may_manage": permissions.can(request.user, "manage_community", community),
        },
    )


def _member(community, username: str) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user"),
        community=community,
        user__username=username,
        status__in=[MembershipStatus.ACTIVE, MembershipStatus.PENDING],
    )


@signin_redirect
def member_role(request, slug: str, username: str):
    community = community_for(request, slug, "manage_community")
    membership = _member(community, username)
    form = RoleForm(
        request.POST if request.method == "POST" else None, initial={"role": membership.role}
    )
    if request.method == "POST" and form.is_valid():
        try:
            change_role(
                actor=request.user,
                community=community,
                member=membership.user,
                role=form.cleaned_data["role"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{membership.user.public_name}'s role is changed.")
            return redirect("communities:member-list", slug=slug)
    return render(
        request,
        "communities/member_role.html",
        {"community": community, "membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


@signin_redirect
def member_remove(request, slug: str, username: str):
    community = community_for(request, slug, "manage_community")
    membership = _member(community, username)
    form = RemoveForm(
        request.POST if request.method == "POST" else None, initial={"action": "remove"}
    )
    if request.method == "POST" and form.is_valid():
        end = ban_member if form.cleaned_data["action"] == "ban" else remove_member
        try:
            end(
                actor=request.user,
                community=community,
                member=membership.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            verb = "banned" if form.cleaned_data["action"] == "ban" else "removed"
            messages.success(request, f"{membership.user.public_name} is {verb}.")
            return redirect("communities:member-list", slug=slug)
    return render(
        request,
        "communities/member_remove.html",
        {"community": community, "membership": membership, "form": form},
        status=400 if form.errors else 200,
    )
