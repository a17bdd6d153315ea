"""The editors' side in the Wagtail admin: the "Needs review" queue and its actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from wagtail.admin.views.reports import PageReportView

from communities.public import NotAllowed
from knowledge import selectors, services
from knowledge.models import ArticlePage


class NeedsReviewView(PageReportView):
    """Articles past their review date, whose source thread changed since the harvest, or
    that several readers found unhelpful: all of them for editors, their own for owners."""

    page_title = "Needs review"
    header_icon = "warning"
    results_template_name = "knowledge/admin/needs_review_results.html"
    index_url_name = "knowledge_admin:needs-review"
    index_results_url_name = "knowledge_admin:needs-review-results"
    model = ArticlePage
    permission_required = None
    paginate_by = 50
    list_export = ["title", "review_on", "source_changed_at", "unhelpful_since_review"]

    def get_queryset(self):
        return selectors.articles_needing_review(user=self.request.user)

    def get_filename(self):
        return "knowledge-needs-review"

    def decorate_paginated_queryset(self, object_list):
        threshold = selectors.UNHELPFUL_THRESHOLD
        for article in object_list:
            article.reasons = [
                reason
                for reason, applies in (
                    ("past its review date", article.is_stale),
                    ("source thread changed", article.source_changed_at is not None),
                    ("readers found it unhelpful", article.unhelpful_since_review >= threshold),
                )
                if applies
            ]
        return object_list


class CommunityArticlesView(PageReportView):
    """For community managers, whose admin has no page tree: the articles (drafts included)
    of the communities they manage, each a link to its editor."""

    page_title = "Your communities' articles"
    header_icon = "doc-full"
    results_template_name = "knowledge/admin/community_articles_results.html"
    index_url_name = "knowledge_admin:community-articles"
    index_results_url_name = "knowledge_admin:community-articles-results"
    model = ArticlePage
    permission_required = None
    paginate_by = 50
    list_export = ["title", "source_community", "latest_revision_created_at"]

    def get_queryset(self):
        return selectors.articles_managed_by(self.request.user)

    def get_filename(self):
        return "knowledge-community-articles"


def _back(request) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("knowledge_admin:needs-review")
    return HttpResponseRedirect(target)


def _act(request, page_id: int, action, done: str):
    article = get_object_or_404(ArticlePage, pk=page_id)
    try:
        action(article, by=request.user)
    except (NotAllowed, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, done.format(title=article.title))
    return _back(request)


@require_POST
def verify(request, page_id: int):
    return _act(
        request,
        page_id,
        services.verify_article,
        "“{title}” is verified as still right; its next review date is set.",
    )


@require_POST
def mark_obsolete(request, page_id: int):
    return _act(
        request,
        page_id,
        services.mark_obsolete,
        "“{title}” is marked obsolete: readers see the label and search leaves it out.",
    )


def open_audience(request, page_id: int):
    """Confirm, then open an article of a restricted or private community to everyone."""
    article = get_object_or_404(ArticlePage.objects.select_related("source_community"), pk=page_id)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                services.return_to_community(article, by=request.user)
                messages.success(request, f"“{article.title}” is for its community only again.")
            else:
                services.open_to_everyone(
                    article, by=request.user, confirmed=request.POST.get("confirm") == "yes"
                )
                messages.success(request, f"Everyone may now read “{article.title}”.")
            return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[article.pk]))
        except (NotAllowed, ValidationError) as failure:
            error = " ".join(getattr(failure, "messages", [str(failure)]))
    return TemplateResponse(
        request, "knowledge/admin/open_audience.html", {"article": article, "error": error}
    )
