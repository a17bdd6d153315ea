from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities import hooks
from communities.core import rules as permissions
from communities.core.access import (
    add_service_error,
    community_for,
    remember_permissions,
    safe_next,
    signin_redirect,
)
from communities.core.errors import NotAllowed, RateLimited
from communities.core.forms.communities import (
    CommunityForm,
    DirectoryFilterForm,
    JoinForm,
    JoinRequestForm,
    StageForm,
)
from communities.core.models.communities import MembershipStatus, Visibility
from communities.core.selectors import (
    community_directory,
    community_leaders,
    membership_of,
    stage_history,
)
from communities.core.services.communities import (
    approve_held_community,
    change_stage,
    create_community,
    update_community,
)
from communities.core.services.membership import agree_to_guidelines

PAGE_SIZE = 20
# What a signed-in person who may not start a community is told, per TRELLIS_COMMUNITY_CREATORS.
WHY_NOT_CREATE = {
    "staff": "On this Trellis only staff start communities. Ask an operator to start one for you.",
    "confirmed": "Confirm your email address to start a community: follow the link we emailed "
    "you, or send a new one from your email settings.",
}


def why_not_create(user) -> str:
    """Why `user` may not start a community, or "" when they may (or aren't signed in)."""
    if not user.is_authenticated or permissions.can(user, "create_community"):
        return ""
    return WHY_NOT_CREATE.get(settings.TRELLIS_COMMUNITY_CREATORS, WHY_NOT_CREATE["staff"])


def community_list(request):
    filters = DirectoryFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    communities = community_directory(
        viewer=request.user,
        query=criteria.get("q", "").strip(),
        kind=criteria.get("kind", ""),
        stage=criteria.get("stage", ""),
        tag=criteria.get("tag", "").strip().lower(),
        mine=request.user.is_authenticated and request.GET.get("mine") == "1",
    )
    page = Paginator(communities, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "communities/community_list.html",
        {
            "filters": filters,
            "page": page,
            "query_string": query.urlencode(),
            "may_create": permissions.can(request.user, "create_community"),
            "why_not_create": why_not_create(request.user),
            "mine": request.user.is_authenticated and request.GET.get("mine") == "1",
            "confirm_email_first": settings.TRELLIS_COMMUNITY_CREATORS == "confirmed",
        },
    )


@remember_permissions
def community_detail(request, slug: str):
    community = community_for(request, slug, signed_in=False)
    membership = membership_of(request.user, community)
    is_active = membership is not None and membership.status == MembershipStatus.ACTIVE
    may_see_content = permissions.can(request.user, "see_community_content", community)
    join_form = None
    may_join = request.user.is_authenticated and (
        membership is None or membership.status == MembershipStatus.LEFT
    )
    if may_join:
        if community.visibility == Visibility.OPEN:
            join_form = JoinForm()
        elif community.visibility == Visibility.RESTRICTED:
            join_form = JoinRequestForm()
    return render(
        request,
        "communities/community_detail.html",
        {
            "community": community,
            "membership": membership,
            "is_active_member": is_active,
            "needs_agreement": is_active
            and membership.agreed_guidelines_version != community.guidelines_version,
            "may_manage": permissions.can(request.user, "manage_community", community),
            "may_approve": community.is_held_for_review
            and permissions.can(request.user, "approve_held_community", community),
            "may_see_content": may_see_content,
            "leaders": list(community_leaders(community)),
            "history": list(stage_history(community)),
            "join_form": join_form,
            **(_page_context(request, community) if may_see_content else {}),
        },
    )


@login_required
@require_POST
def community_approve(request, slug: str):
    community = community_for(request, slug, "approve_held_community")
    approve_held_community(actor=request.user, community=community)
    messages.success(request, f"{community.name} is approved: anonymous visitors see it now.")
    return redirect("communities:community-detail", slug=community.slug)


def _page_context(request, community) -> dict:
    """What the upper layers add to the page (meetings, recent threads, rising stars)."""
    context: dict = {}
    for add in hooks.registered(hooks.COMMUNITY_PAGE_CONTEXT):
        context.update(add(request, community))
    return context


@login_required
def community_create(request):
    refusal = why_not_create(request.user)
    if refusal:
        raise NotAllowed(refusal)
    form = CommunityForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            community = create_community(
                actor=request.user,
                name=data["name"],
                slug=data["slug"],
                purpose=data["purpose"],
                audience=data["audience"],
                guidelines=data["guidelines"],
                kind=data["kind"],
                visibility=data["visibility"],
                is_chatham_house=data["is_chatham_house"],
                tags=data["tag_names"],
                submission_token=data["submission_token"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            status = 429 if isinstance(error, RateLimited) else 200
        else:
            messages.success(request, f"{community.name} is ready. You are its manager.")
            return redirect("communities:community-detail", slug=community.slug)
    return render(
        request,
        "communities/community_form.html",
        {"form": form, "community": None},
        status=status,
    )


@signin_redirect
def community_edit(request, slug: str):
    community = community_for(request, slug, "manage_community")
    form = CommunityForm(request.POST if request.method == "POST" else None, instance=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in form.Meta.fields if name in data}
        fields.pop("tag_names", None)
        try:
            update_community(
                actor=request.user, community=community, tags=data["tag_names"], **fields
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The community page is updated.")
            return redirect("communities:community-detail", slug=community.slug)
    return render(
        request, "communities/community_form.html", {"form": form, "community": community}
    )


@require_POST
@signin_redirect
def community_agree(request, slug: str):
    community = community_for(request, slug)
    try:
        agree_to_guidelines(user=request.user, community=community)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Thank you. You can take part again.")
    return redirect(
        safe_next(request, reverse("communities:community-detail", args=[community.slug]))
    )


@signin_redirect
def community_stage(request, slug: str):
    community = community_for(request, slug, "manage_community")
    form = StageForm(
        request.POST if request.method == "POST" else None, initial={"to_stage": community.stage}
    )
    if request.method == "POST" and form.is_valid():
        try:
            change_stage(
                actor=request.user,
                community=community,
                to_stage=form.cleaned_data["to_stage"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The stage is changed and noted in the history.")
            return redirect("communities:community-detail", slug=community.slug)
    return render(
        request,
        "communities/community_stage.html",
        {
            "community": community,
            "form": form,
            "history": list(stage_history(community)),
            "panels": [panel(request, community) for panel in hooks.registered(hooks.STAGE_PANELS)],
        },
    )


def community_audit(request, slug: str):
    """The audit log has one page, in moderation; this older address leads there."""
    return redirect("communities:moderation-audit", slug=slug, permanent=True)
