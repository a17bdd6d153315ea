"""Thin views for what readers and gardeners do outside the Wagtail admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from wagtail.models import Page

from communities.models import CircleMeeting, Thread
from communities.public import NotAllowed, thread_detail
from knowledge import permissions, selectors, services
from knowledge.errors import HarvestRefused
from knowledge.models import ArticlePage


def _back(request, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = fallback
    return HttpResponseRedirect(target)


@login_required
@require_POST
def harvest(request, thread_id: int):
    """Harvest a thread into a draft; editors land on the draft in the admin."""
    thread = thread_detail(viewer=request.user, thread_id=thread_id).thread
    thread_url = reverse("communities:thread-detail", args=[thread.community.slug, thread.pk])
    try:
        article = services.harvest_thread(get_object_or_404(Thread, pk=thread.pk), by=request.user)
    except HarvestRefused as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(thread_url)
    messages.success(
        request,
        f"“{article.title}” is now a draft in the knowledge base; editors will finish it "
        "and approve it before it is published.",
    )
    if request.user.has_perm("wagtailadmin.access_admin"):
        return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    return HttpResponseRedirect(thread_url)


@login_required
@require_POST
def feedback(request, page_id: int):
    article = get_object_or_404(ArticlePage, pk=page_id)
    answer = request.POST.get("helpful")
    if answer not in {"yes", "no"}:
        messages.error(request, "Choose “Yes, it helped” or “No”.")
        return HttpResponseRedirect(article.url or "/kb/")
    try:
        services.record_feedback(
            article, by=request.user, is_helpful=answer == "yes", note=request.POST.get("note", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Thank you: the article's owner sees what readers say.")
    return HttpResponseRedirect(article.url)


@login_required
@require_POST
def follow(request, page_id: int):
    page = get_object_or_404(Page, pk=page_id).specific
    following = request.POST.get("action", "follow") == "follow"
    try:
        services.set_following(page, by=request.user, following=following)
    except NotAllowed as error:
        messages.error(request, str(error))
    except Http404:
        raise
    else:
        messages.success(
            request,
            f"You follow “{page.title}”." if following else f"You no longer follow “{page.title}”.",
        )
    return _back(request, page.url or "/kb/")


def _meeting_url(meeting) -> str:
    circle = meeting.circle
    return reverse(
        "communities:meeting-detail", args=[circle.community.slug, circle.slug, meeting.sequence]
    )


@login_required
@require_POST
def harvest_meeting(request, meeting_id: int):
    """Harvest a circle meeting's notes into a lesson learned for the circle."""
    meeting = get_object_or_404(
        CircleMeeting.objects.select_related("circle__community"), pk=meeting_id
    )
    if not permissions.is_circle_member(request.user, meeting.circle):
        raise Http404
    try:
        article = services.harvest_meeting(meeting, by=request.user)
    except HarvestRefused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"“{article.title}” is now a draft for this circle's members only; editors will "
            "finish it and approve it before it is published.",
        )
    return HttpResponseRedirect(_meeting_url(meeting))


@login_required
@require_POST
def share_lesson(request, page_id: int):
    """The facilitator records the circle's agreement to share a lesson with the community."""
    article = get_object_or_404(
        ArticlePage.objects.select_related("source_meeting__circle__community"), pk=page_id
    )
    if not permissions.can_share_lesson(request.user, article):
        raise Http404
    try:
        services.share_lesson_with_community(
            article, by=request.user, confirmed=request.POST.get("confirmed") == "yes"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Recorded: the community may now read “{article.title}” once published."
        )
    return _back(request, _meeting_url(article.source_meeting))


@login_required
def credit_preference(request):
    """Whether I am named and credited in knowledge base articles drawn from my words."""
    if request.method == "POST":
        services.set_credit_preference(
            by=request.user, wants_credit=request.POST.get("wants_credit") == "yes"
        )
        messages.success(request, "Saved: every article follows your choice from now on.")
        return HttpResponseRedirect(reverse("knowledge:credit-preference"))
    return render(
        request,
        "knowledge/credit_preference.html",
        {"wants_credit": selectors.credit_preference(request.user)},
    )
