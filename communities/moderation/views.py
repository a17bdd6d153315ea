"""Moderation pages: flagging, the queue and its actions, the audit log, verified experts,
and a person's own outcomes. Hidden from everyone without the right: 404, never 403."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities.core import rules as permissions
from communities.core.access import add_service_error, community_for, safe_next
from communities.core.errors import NotAllowed
from communities.core.models.communities import Community
from communities.core.models.people import User
from communities.discussions.access import thread_for
from communities.discussions.models.badges import AwardedBadge
from communities.discussions.selectors.badges import verified_experts
from communities.discussions.selectors.threads import post_for_viewer
from communities.discussions.services import badges as badge_services
from communities.moderation import audit as audit_words
from communities.moderation.forms import FlagForm, ModerationActionForm, VerifiedExpertForm
from communities.moderation.selectors import (
    audit_log,
    communities_moderated_by,
    flags_raised_by,
    moderation_item,
    moderation_queue,
    notices_for,
)
from communities.moderation.services import actions
from communities.moderation.services.flags import explain_flag_weights, flag_content

AUDIT_PAGE_SIZE = 50


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You can't do that here."


def _moderated_community(request, slug: str) -> Community:
    return community_for(request, slug, "moderate_community", hide=True)


def _managed_community(request, slug: str) -> Community:
    return community_for(request, slug, "manage_community", hide=True)


@login_required
def flag(request, slug: str, pk: int, post_pk: int | None = None):
    community, thread = thread_for(request, slug, pk, "flag_content", hide=True)
    post = post_for_viewer(viewer=request.user, thread=thread, post_id=post_pk) if post_pk else None
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _, created = flag_content(
                flagger=request.user,
                thread=thread,
                post=post,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, ValidationError):
                add_service_error(form, error)
            else:
                form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                "Thank you: the moderators will look at it. You'll find the outcome under "
                "“My flags”."
                if created
                else "You have already flagged this; the moderators will look at it.",
            )
            url = reverse("communities:thread-detail", args=[community.slug, thread.pk])
            return redirect(f"{url}#post-{post.pk}" if post else url)
    return render(
        request,
        "communities/moderation/flag.html",
        {
            "community": community,
            "thread": thread,
            "post": post,
            "form": form,
            "weights_explained": explain_flag_weights(community),
        },
        status=400 if request.method == "POST" else 200,
    )


def _queue_context(request, community, items, errors=None):
    return {
        "community": community,
        "items": items,
        "errors": errors or {},
        "move_targets": communities_moderated_by(request.user).exclude(pk=community.pk),
        "may_manage": permissions.can(request.user, "manage_community", community),
        "weights_explained": explain_flag_weights(community),
    }


@login_required
def queue(request, slug: str):
    community = _moderated_community(request, slug)
    page, items = moderation_queue(
        viewer=request.user, community=community, page_number=request.GET.get("page")
    )
    context = _queue_context(request, community, items)
    context.update(page=page, query_string="")
    return render(request, "communities/moderation/queue.html", context)


@login_required
def item(request, slug: str, pk: int, post_pk: int | None = None):
    """The moderation panel of one thread or reply, flagged or not (lock, move, hide...)."""
    community = _moderated_community(request, slug)
    found = moderation_item(viewer=request.user, community=community, thread_id=pk, post_id=post_pk)
    if found is None:
        raise Http404
    context = _queue_context(request, community, [found])
    context["single"] = True
    return render(request, "communities/moderation/queue.html", context)


def _run_action(actor, community, action: str, thread, post, data):
    reason = data["reason"]
    if action == "hide":
        return actions.hide_content(actor=actor, thread=thread, post=post, reason=reason)
    if action == "restore":
        return actions.restore_content(actor=actor, thread=thread, post=post, reason=reason)
    if action in ("uphold", "dismiss"):
        return actions.resolve_flags(
            actor=actor, thread=thread, post=post, uphold=action == "uphold", reason=reason
        )
    if action in ("lock", "unlock"):
        return actions.set_thread_locked(
            actor=actor, thread=thread, locked=action == "lock", reason=reason
        )
    if action == "move":
        target = Community.objects.filter(slug=data.get("to_community") or "").first()
        if target is None:
            raise ValidationError({"to_community": "Choose the community to move it to."})
        return actions.move_thread(actor=actor, thread=thread, to_community=target, reason=reason)
    if action == "duplicate":
        if not data.get("original"):
            raise ValidationError({"original": "Give the number of the thread it duplicates."})
        return actions.close_as_duplicate(
            actor=actor, thread=thread, original_id=data["original"], reason=reason
        )
    if action == "warn":
        return actions.warn_member(actor=actor, thread=thread, post=post, message=reason)
    if action == "ban":
        return actions.ban_author(actor=actor, thread=thread, post=post, reason=reason)
    raise ValidationError("Choose what to do.")


DONE = {
    "hide": "Hidden; the author and the flaggers are told.",
    "restore": "Restored; the flags are dismissed.",
    "uphold": "The flags are upheld; the flaggers are told.",
    "dismiss": "The flags are dismissed; the flaggers are told.",
    "lock": "The thread is locked.",
    "unlock": "The thread is unlocked.",
    "move": "The thread is moved.",
    "duplicate": "The thread is closed as a duplicate and links to the original.",
    "warn": "The warning is sent privately.",
    "ban": "The author is banned from the community.",
}


@require_POST
@login_required
def act(request, slug: str):
    community = _moderated_community(request, slug)
    form = ModerationActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an action for one item of the queue.")
        return redirect("communities:moderation-queue", slug=community.slug)
    data = form.cleaned_data
    found = moderation_item(
        viewer=request.user, community=community, thread_id=data["thread"], post_id=data["post"]
    )
    if found is None:
        raise Http404
    try:
        _run_action(request.user, community, data["action"], found.thread, found.post, data)
    except (ValidationError, NotAllowed) as error:
        _, items = moderation_queue(viewer=request.user, community=community)
        if found.key not in {queued.key for queued in items}:
            items.insert(0, found)
        context = _queue_context(request, community, items, {found.key: _error_text(error)})
        return render(request, "communities/moderation/queue.html", context, status=400)
    messages.success(request, DONE[data["action"]])
    queue_url = reverse("communities:moderation-queue", args=[community.slug])
    return redirect(safe_next(request, queue_url))


@login_required
def audit(request, slug: str):
    """The audit log in words, for moderators and managers, filterable by action and person."""
    community = _moderated_community(request, slug)
    choices = audit_words.action_choices()
    chosen = request.GET.get("action", "")
    actions = [a for a in chosen.split(",") if a in audit_words.ACTIONS] if chosen else []
    handle = request.GET.get("person", "").strip().lstrip("@")
    person = User.objects.filter(username__iexact=handle).first() if handle else None
    entries = audit_log(viewer=request.user, community=community, actions=actions)
    if handle:
        # Nobody by that handle: nothing matches, rather than the whole log.
        entries = (
            audit_log(viewer=request.user, community=community, actions=actions, person=person)
            if person is not None
            else entries.none()
        )
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {key: value for key, value in (("action", chosen), ("person", handle)) if value}
    return render(
        request,
        "communities/moderation/audit.html",
        {
            "community": community,
            "page": page,
            "entries": [(entry, *audit_words.sentence(entry)) for entry in page.object_list],
            "choices": choices,
            "chosen": chosen,
            "person": handle,
            "query_string": urlencode(filters),
            "may_manage": permissions.can(request.user, "manage_community", community),
        },
    )


@login_required
def experts(request, slug: str):
    community = _managed_community(request, slug)
    form = VerifiedExpertForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        person = User.objects.filter(username__iexact=form.cleaned_data["username"]).first()
        try:
            if person is None:
                raise ValidationError({"username": "Nobody uses that handle."})
            badge_services.grant_verified_expert(
                actor=request.user,
                community=community,
                user=person,
                tag_name=form.cleaned_data["tag_name"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            status = 400
        else:
            messages.success(request, f"{person.public_name} is now a verified expert.")
            return redirect("communities:moderation-experts", slug=community.slug)
    return render(
        request,
        "communities/moderation/experts.html",
        {
            "community": community,
            "form": form,
            "experts": list(verified_experts(community=community)),
        },
        status=status,
    )


@require_POST
@login_required
def expert_revoke(request, slug: str, badge_pk: int):
    community = _managed_community(request, slug)
    badge = get_object_or_404(AwardedBadge, pk=badge_pk, community=community)
    try:
        badge_services.revoke_verified_expert(actor=request.user, badge=badge)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "The verified expert badge is taken back.")
    return redirect("communities:moderation-experts", slug=community.slug)


@login_required
def outcomes(request):
    """The signed-in person's flags and what moderation told them."""
    return render(
        request,
        "communities/moderation/outcomes.html",
        {
            "flags": list(flags_raised_by(request.user)[:100]),
            "notices": list(notices_for(request.user)[:100]),
        },
    )
