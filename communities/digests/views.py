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
    bounces,
    escalation,
    rules,  # noqa: F401  (registers see_waiting_questions)
    selectors,
    services,
)
from communities.digests.forms import ClearBounceForm, EmailSettingsForm, email_field_name
from communities.digests.models import DigestKind, EmailKind
from communities.models import User
from communities.public import (
    BadToken,
    email_kind,
    email_kinds,
    read_unsubscribe_token,
    wants_email,
)
from communities.public import unsubscribe as unsubscribe_member


@login_required
def digest_settings(request):
    """Every kind of email the member can turn off, with the digest's frequency and
    weekday; and, when their address bounced, a way to say it works again."""
    user = User.objects.get(pk=request.user.pk)
    current = selectors.digest_settings_of(user)
    wanted = {kind.key: wants_email(user, kind.key) for kind in email_kinds()}
    initial = {"frequency": user.digest_frequency, "weekday": current.weekday}
    initial |= {email_field_name(key): on for key, on in wanted.items()}
    is_clearing = "clear_bounce" in request.POST
    form = EmailSettingsForm(
        request.POST if request.method == "POST" and not is_clearing else None, initial=initial
    )
    bounce_form = ClearBounceForm(request.POST if is_clearing else None)
    if is_clearing and bounce_form.is_valid():
        bounces.clear_bounce(user=user)
        messages.success(request, f"Thank you: we send emails to {user.email} again.")
        return redirect("digests:settings")
    if request.method == "POST" and not is_clearing and form.is_valid():
        try:
            services.update_email_settings(
                user=user,
                frequency=form.cleaned_data["frequency"],
                weekday=form.cleaned_data["weekday"],
                emails=form.emails(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your email settings are saved.")
            return redirect("digests:settings")
    turned_off = [
        kind.label
        for kind in email_kinds()
        if kind.key != EmailKind.DIGEST and not wanted[kind.key]
    ]
    return render(
        request,
        "communities/digests/settings.html",
        {
            "form": form,
            "bounce_form": bounce_form,
            "current": current,
            "member": user,
            "turned_off": turned_off,
        },
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
    POST, from the page's button or the mail client's one-click, turns that kind of email
    off for the member the token names, and nothing else."""
    try:
        unsubscribe_request = read_unsubscribe_token(token)
    except BadToken as error:
        return render(
            request,
            "communities/digests/unsubscribe_invalid.html",
            {"error": str(error)},
            status=400,
        )
    kind = email_kind(unsubscribe_request.kind)
    kind_name = kind.label if kind else "these emails"
    if request.method == "GET":
        return render(request, "communities/digests/unsubscribe.html", {"kind_name": kind_name})
    try:
        unsubscribe_member(token=token)
    except BadToken as error:
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
