from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities.core.access import add_service_error, community_for, signin_redirect
from communities.core.errors import NotAllowed, RateLimited
from communities.core.forms.communities import (
    DecisionForm,
    DirectInvitationForm,
    InvitationLinkForm,
    JoinForm,
    JoinRequestForm,
)
from communities.core.models.communities import MembershipStatus, Visibility
from communities.core.models.joining import Invitation, JoinRequest, JoinRequestStatus
from communities.core.models.people import User
from communities.core.selectors import community_invitations, membership_of, pending_join_requests
from communities.core.services.joining import (
    accept_invitation,
    approve_join_request,
    create_invitation_link,
    decline_join_request,
    invitation_from_signed,
    invite_by_email,
    invite_user,
    refuse_someone_elses,
    request_to_join,
    revoke_invitation,
    signed_invitation,
)
from communities.core.services.membership import (
    BANNED_MESSAGE,
    join_open_community,
    leave_community,
)


@signin_redirect
def community_join(request, slug: str):
    community = community_for(request, slug)
    membership = membership_of(request.user, community)
    if membership is not None and membership.status == MembershipStatus.ACTIVE:
        messages.info(request, "You are already a member.")
        return redirect("communities:community-detail", slug=slug)
    if membership is not None and membership.status == MembershipStatus.BANNED:
        raise NotAllowed(BANNED_MESSAGE)
    is_open = community.visibility == Visibility.OPEN
    is_pending = (
        community.visibility == Visibility.RESTRICTED
        and membership is not None
        and membership.status == MembershipStatus.PENDING
    )
    form = None
    if community.visibility != Visibility.PRIVATE and not is_pending:
        form_class = JoinForm if is_open else JoinRequestForm
        form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            if is_open:
                join_open_community(
                    user=request.user, community=community, agreed_to_guidelines=True
                )
            else:
                request_to_join(
                    user=request.user,
                    community=community,
                    message=form.cleaned_data["message"],
                    agreed_to_guidelines=True,
                )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if is_open:
                messages.success(request, f"Welcome to {community.name}!")
            else:
                messages.success(request, "Your request is sent. A manager will let you know.")
            return redirect("communities:community-detail", slug=slug)
    return render(
        request,
        "communities/community_join.html",
        {"community": community, "form": form, "is_pending": is_pending},
    )


@signin_redirect
def community_leave(request, slug: str):
    community = community_for(request, slug)
    membership = membership_of(request.user, community)
    if membership is None or membership.status not in (
        MembershipStatus.ACTIVE,
        MembershipStatus.PENDING,
    ):
        raise Http404("You are not a member of this community.")
    error = None
    if request.method == "POST":
        try:
            leave_community(user=request.user, community=community)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, f"You have left {community.name}.")
            return redirect("communities:community-list")
    return render(
        request,
        "communities/community_leave.html",
        {"community": community, "membership": membership, "error": error},
        status=400 if error else 200,
    )


@signin_redirect
def join_request_list(request, slug: str):
    community = community_for(request, slug, "manage_community")
    return render(
        request,
        "communities/join_requests.html",
        {
            "community": community,
            "requests": list(pending_join_requests(community)),
            "form": DecisionForm(),
        },
    )


@require_POST
@signin_redirect
def join_request_decide(request, slug: str, pk: int):
    community = community_for(request, slug, "manage_community")
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("user", "community"), pk=pk, community=community
    )
    form = DecisionForm(request.POST)
    if form.is_valid():
        decide = (
            approve_join_request
            if form.cleaned_data["decision"] == "approve"
            else decline_join_request
        )
        try:
            decide(
                actor=request.user, join_request=join_request, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            verb = "approved" if join_request.status == JoinRequestStatus.APPROVED else "declined"
            messages.success(
                request, f"You {verb} {join_request.user.public_name}'s request; they are told."
            )
            return redirect("communities:join-request-list", slug=slug)
    return render(
        request,
        "communities/join_requests.html",
        {
            "community": community,
            "requests": list(pending_join_requests(community)),
            "form": form,
            "failed_pk": join_request.pk,
        },
        status=400,
    )


@signin_redirect
def invitation_list(request, slug: str):
    community = community_for(request, slug, "manage_community")
    link_form = InvitationLinkForm(request.POST if "create_link" in request.POST else None)
    direct_form = DirectInvitationForm(request.POST if "invite_person" in request.POST else None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        try:
            if link_form.is_bound and link_form.is_valid():
                create_invitation_link(
                    actor=request.user, community=community, **link_form.cleaned_data
                )
                messages.success(request, "A new invitation link is ready to share.")
                return redirect("communities:invitation-list", slug=slug)
            if direct_form.is_bound and direct_form.is_valid():
                messages.success(request, _invite_person(request, community, direct_form))
                return redirect("communities:invitation-list", slug=slug)
        except ValidationError as error:
            add_service_error(link_form if link_form.is_bound else direct_form, error)
            if isinstance(error, RateLimited):
                status = 429
    invitations = [
        (invitation, _link(request, invitation) if invitation.is_link else None)
        for invitation in community_invitations(community)
    ]
    return render(
        request,
        "communities/invitations.html",
        {
            "community": community,
            "invitations": invitations,
            "link_form": link_form,
            "direct_form": direct_form,
        },
        status=status,
    )


def _invite_person(request, community, form) -> str:
    """Invite by handle (public, so the person is named) or by email address (the same
    answer whoever owns it). Returns what to tell the manager."""
    person = form.cleaned_data["person"].lstrip("@")
    if "@" in person:
        invitation = invite_by_email(actor=request.user, community=community, email=person)
        return f"An invitation is on its way to {invitation.email}."
    invitee = User.objects.filter(username__iexact=person, is_active=True).first()
    if invitee is None:
        raise ValidationError({"person": "Nobody on Trellis has that handle or email."})
    invite_user(actor=request.user, community=community, invitee=invitee)
    return f"{invitee.public_name} is invited by email."


def _link(request, invitation: Invitation) -> str:
    path = reverse("communities:invitation-accept", args=[signed_invitation(invitation)])
    return request.build_absolute_uri(path)


@require_POST
@signin_redirect
def invitation_revoke(request, slug: str, pk: int):
    community = community_for(request, slug, "manage_community")
    invitation = get_object_or_404(Invitation, pk=pk, community=community)
    try:
        revoke_invitation(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The invitation is withdrawn; its link no longer works.")
    return redirect("communities:invitation-list", slug=slug)


def invitation_accept(request, signed: str):
    try:
        invitation = invitation_from_signed(signed)
    except ValidationError as error:
        return render(
            request,
            "communities/invitation_accept.html",
            {"problem": " ".join(error.messages)},
            status=410 if error.code in ("expired", "revoked", "used_up") else 404,
        )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    community = invitation.community
    membership = membership_of(request.user, community)
    if membership is not None and membership.status == MembershipStatus.ACTIVE:
        messages.info(request, "You are already a member.")
        return redirect("communities:community-detail", slug=community.slug)
    if membership is not None and membership.status == MembershipStatus.BANNED:
        raise NotAllowed(BANNED_MESSAGE)
    refuse_someone_elses(invitation, request.user)
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            accept_invitation(user=request.user, token=signed, agreed_to_guidelines=True)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Welcome to {community.name}!")
            return redirect("communities:community-detail", slug=community.slug)
    return render(
        request,
        "communities/invitation_accept.html",
        {"invitation": invitation, "community": community, "form": form},
    )
