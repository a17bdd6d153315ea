"""What the knowledge base adds to the Wagtail admin."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from knowledge import admin_views, choosers, permissions
from knowledge.models import ArticlePage

admin_urlpatterns = [
    path("needs-review/", admin_views.NeedsReviewView.as_view(), name="needs-review"),
    path(
        "needs-review/results/",
        admin_views.NeedsReviewView.as_view(results_only=True),
        name="needs-review-results",
    ),
    path(
        "community-articles/",
        admin_views.CommunityArticlesView.as_view(),
        name="community-articles",
    ),
    path(
        "community-articles/results/",
        admin_views.CommunityArticlesView.as_view(results_only=True),
        name="community-articles-results",
    ),
    path("articles/<int:page_id>/verify/", admin_views.verify, name="verify"),
    path("articles/<int:page_id>/obsolete/", admin_views.mark_obsolete, name="obsolete"),
    path("articles/<int:page_id>/audience/", admin_views.open_audience, name="audience"),
]


@hooks.register("register_admin_urls")
def register_knowledge_admin_urls():
    return [path("knowledge/", include((admin_urlpatterns, "knowledge_admin")))]


@hooks.register("register_reports_menu_item")
def register_needs_review_menu_item():
    return MenuItem(
        "Needs review",
        reverse("knowledge_admin:needs-review"),
        name="knowledge-needs-review",
        icon_name="warning",
        order=50,
    )


class ManagersMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.manages_any_community(request.user)


@hooks.register("register_admin_menu_item")
def register_community_articles_menu_item():
    return ManagersMenuItem(
        "Community articles",
        reverse("knowledge_admin:community-articles"),
        name="knowledge-community-articles",
        icon_name="doc-full",
        order=150,
    )


@hooks.register("register_page_header_buttons")
def article_audience_button(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, ArticlePage) and permissions.is_editor(user):
        yield Button(
            "Audience…",
            reverse("knowledge_admin:audience", args=[page.pk]),
            icon_name="view",
            priority=80,
        )


@hooks.register("register_admin_viewset")
def register_choosers():
    return [choosers.thread_chooser, choosers.user_chooser]
