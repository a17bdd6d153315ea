"""What the knowledge base does when Wagtail publishes a page (Wagtail's signal is the hook
it offers apps; publishing happens in its admin, its scheduler and our services alike)."""

from django.urls import reverse
from django.utils.text import Truncator
from wagtail.models import GroupApprovalTask
from wagtail.signals import page_published, task_submitted

from communities.models import User
from communities.public import notify
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


def article_submitted(sender, instance, user=None, **kwargs):
    """An article submitted to a group approval task (the editors' review) is a notice to
    the task's approvers but the submitter, in the submission's transaction, once per task
    state; Wagtail's own email stays as it is."""
    page = getattr(instance.workflow_state.content_object, "specific", None)
    task = instance.task.specific
    if not isinstance(page, ArticlePage) or not isinstance(task, GroupApprovalTask):
        return
    message = Truncator(f"“{page.title}” waits for your approval in the knowledge base.").chars(200)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    approvers = User.objects.filter(is_active=True, groups__in=task.groups.all()).distinct()
    for person in approvers:
        if user is None or person.pk != user.pk:
            notify(person, event=f"knowledge:review:{instance.pk}", message=message, url=url)


def connect() -> None:
    page_published.connect(article_published, dispatch_uid="knowledge-article-published")
    task_submitted.connect(article_submitted, dispatch_uid="knowledge-article-submitted")
