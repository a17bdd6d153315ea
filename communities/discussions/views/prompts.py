"""The managers' prompts page: write from a template, publish now or schedule, cancel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from communities.core.access import add_service_error, community_for
from communities.core.zones import zone_of
from communities.discussions.forms.prompts import PromptForm
from communities.discussions.models.prompts import PromptKind, ScheduledPrompt
from communities.discussions.selectors.prompts import past_prompts, upcoming_prompts
from communities.discussions.services import prompts as prompt_services

PAST_SHOWN = 30


def _managed_community(request, slug: str):
    return community_for(request, slug, "manage_prompts", hide=True)


@login_required
def prompt_list(request, slug: str):
    community = _managed_community(request, slug)
    kind = request.GET.get("kind")
    template = prompt_services.PROMPT_TEMPLATES.get(kind)
    initial = {"kind": kind, **template} if template else {}
    # Times are typed and shown in the manager's own timezone.
    with timezone.override(zone_of(request.user)):
        form = PromptForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                prompt = prompt_services.create_prompt(
                    author=request.user,
                    community=community,
                    kind=data["kind"],
                    title=data["title"],
                    body=data["body"],
                    tag_names=data["tag_names"],
                    publish_at=data["publish_at"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                if prompt.published_thread_id:
                    messages.success(request, "Your prompt is published as a thread.")
                else:
                    when = timezone.localtime(prompt.publish_at).strftime("%-d %b %Y, %H:%M")
                    messages.success(request, f"Your prompt is scheduled for {when}.")
                return redirect(reverse("communities:prompt-list", args=[community.slug]))
        return render(
            request,
            "communities/prompts/list.html",
            {
                "community": community,
                "form": form,
                "templates": [
                    (value, label, prompt_services.PROMPT_TEMPLATES[value]["title"])
                    for value, label in PromptKind.choices
                ],
                "upcoming": list(upcoming_prompts(community=community)),
                "past": list(past_prompts(community=community)[:PAST_SHOWN]),
                "timezone_name": str(zone_of(request.user)),
            },
            status=400 if request.method == "POST" else 200,
        )


@require_POST
@login_required
def prompt_cancel(request, slug: str, pk: int):
    community = _managed_community(request, slug)
    prompt = get_object_or_404(ScheduledPrompt, pk=pk, community=community)
    try:
        prompt_services.cancel_prompt(actor=request.user, prompt=prompt)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{prompt.title}” is cancelled; it will not be published.")
    return redirect(reverse("communities:prompt-list", args=[community.slug]))
