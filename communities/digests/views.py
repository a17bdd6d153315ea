"""Digest settings, "my next digest", and the one-click unsubscribe pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from communities.core.access import community_for
from communities.digests import (
    escalation,
    rules,  # noqa: F401  (registers see_waiting_questions)
    selectors,
    services,
    tokens,
)
from communities.digests.forms import DigestSettingsForm
from communities.digests.models import DigestKind, EmailKind
from communities.models import User

KIND_NAMES = {
    EmailKind.DIGEST: "digest emails",
    EmailKind.ESCALATION: "emails about questions you could help with",
}


@login_required
def digest_settings(request):
    user = User.objects.get(pk=request.user.pk)
    current = selectors.digest_settings_of(user)
    form = DigestSettingsForm(
        request.POST or None,
        initial={
            "frequency": user.digest_frequency,
            "weekday": current.weekday,
            "wants_escalations": current.wants_escalations,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_digest_settings(user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your email settings are saved.")
            return redirect("digests:settings")
    return render(
        request,
        "communities/digests/settings.html",
        {"form": form, "current": current, "member": user},
    )


@login_required
def digest_preview(request, user_id: int | None = None):
    """The member's own next digest; staff may open anyone's, and that is audited."""
    member = request.user
    if user_id is not None and user_id != request.user.pk:
        if not request.user.is_staff:
            raise Http404
        member = get_object_or_404(User, pk=user_id)
    kind = request.GET.get("kind")
    if kind not in DigestKind.values:
        kind = None
    if member.pk != request.user.pk:
        services.record_staff_preview(actor=request.user, member=member)
    digest = selectors.digest_for(member=member, kind=kind, now=timezone.now())
    subject, text, html = services.render_digest(digest)
    if request.GET.get("format") == "html":
        return HttpResponse(html)
    return render(
        request,
        "communities/digests/preview.html",
        {
            "digest": digest,
            "member": member,
            "subject": subject,
            "html": html,
            "text": text,
            "skip_reason": selectors.SkipReason.EXPLAINED.get(digest.skip_reason, ""),
            "is_own": member.pk == request.user.pk,
        },
    )


@csrf_exempt  # RFC 8058: mail clients POST without a session or a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows what the link would do and changes nothing (link scanners open links);
    POST, from the page's button or the mail client's one-click, turns the email off."""
    try:
        unsubscribe_request = tokens.read_unsubscribe_token(token)
    except tokens.BadToken as error:
        return render(
            request,
            "communities/digests/unsubscribe_invalid.html",
            {"error": str(error)},
            status=400,
        )
    kind_name = KIND_NAMES[unsubscribe_request.kind]
    if request.method == "GET":
        return render(request, "communities/digests/unsubscribe.html", {"kind_name": kind_name})
    try:
        services.unsubscribe(token=token)
    except tokens.BadToken as error:
        return render(
            request,
            "communities/digests/unsubscribe_invalid.html",
            {"error": str(error)},
            status=400,
        )
    return render(request, "communities/digests/unsubscribed.html", {"kind_name": kind_name})


@login_required
def waiting_questions(request, slug: str):
    """Questions waiting over a day for an answer, for the community's moderators and
    managers; 404 for everyone else."""
    community = community_for(request, slug, "see_waiting_questions", hide=True)
    questions = escalation.waiting_questions(community=community, now=timezone.now())
    return render(
        request,
        "communities/digests/waiting.html",
        {
            "community": community,
            "questions": questions[: escalation.WAITING_PAGE_SIZE],
            "more": questions[
                escalation.WAITING_PAGE_SIZE : escalation.WAITING_PAGE_SIZE + 1
            ].exists(),
        },
    )
