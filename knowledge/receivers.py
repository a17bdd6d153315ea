"""What the knowledge base does when Wagtail publishes a page (Wagtail's signal is the hook
it offers apps; publishing happens in its admin, its scheduler and our services alike)."""

from wagtail.signals import page_published

from knowledge.models import ArticlePage
from knowledge.search import refresh_search_vectors


def article_published(sender, instance, revision=None, **kwargs):
    if not isinstance(instance, ArticlePage):
        return
    refresh_search_vectors([instance.pk])
    from knowledge import tasks

    tasks.notify_followers.delay_on_commit(
        instance.pk, getattr(revision, "pk", None) or 0, "published"
    )


def connect() -> None:
    page_published.connect(article_published, dispatch_uid="knowledge-article-published")
