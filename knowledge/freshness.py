"""Keeping articles current: "source changed" marking and the owners' weekly review emails."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from communities.public import send_member_email
from knowledge import selectors
from knowledge.models import ArticlePage, ArticleSource, ReviewReminder

logger = logging.getLogger(__name__)

# New visible replies since the harvest that count as "the conversation moved on".
SUBSTANTIAL_NEW_REPLIES = 3
BATCH_SIZE = 500


def source_has_changed(source: ArticleSource, *, replies_now: int) -> bool:
    thread = source.thread
    return (
        (
            thread.accepted_answer_id != source.accepted_answer_at_harvest
            and thread.accepted_answer_id is not None
        )
        or (
            thread.verified_answer_id != source.verified_answer_at_harvest
            and thread.verified_answer_id is not None
        )
        or replies_now - source.replies_at_harvest >= SUBSTANTIAL_NEW_REPLIES
    )


def mark_changed_sources(*, now: datetime.datetime | None = None) -> int:
    """Compare each live article's source threads with their state at harvest; a new accepted
    or verified answer, or several new replies, marks the article "source changed" (once,
    until someone verifies it). Returns how many articles were marked."""
    now = now or timezone.now()
    sources = (
        ArticleSource.objects.filter(
            thread__isnull=False, page__live=True, page__source_changed_at__isnull=True
        )
        .select_related("thread")
        .annotate(replies_now=Count("thread__posts", filter=Q(thread__posts__is_hidden=False)))
        .order_by("pk")
    )
    changed = {
        source.page_id
        for source in sources.iterator(chunk_size=BATCH_SIZE)
        if source_has_changed(source, replies_now=source.replies_now)
    }
    if not changed:
        return 0
    with transaction.atomic(durable=True):
        return ArticlePage.objects.filter(pk__in=changed, source_changed_at__isnull=True).update(
            source_changed_at=now
        )


def period_start(today: datetime.date) -> datetime.date:
    """The Monday of `today`'s week: reminders are claimed once per article per week."""
    return today - datetime.timedelta(days=today.weekday())


def claim_review_reminders(*, today: datetime.date | None = None) -> list[int]:
    """Claim this period's reminder row for every article needing review that has an owner;
    returns the owners who have unsent reminders."""
    today = today or timezone.localdate()
    start = period_start(today)
    articles = selectors.articles_needing_review().filter(owner__isnull=False)
    rows = [
        ReviewReminder(article_id=pk, owner_id=owner_id, period_start_on=start)
        for pk, owner_id in articles.values_list("pk", "owner_id")
    ]
    with transaction.atomic(durable=True):
        ReviewReminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH_SIZE)
    return sorted(
        set(
            ReviewReminder.objects.filter(period_start_on=start, sent_at__isnull=True).values_list(
                "owner_id", flat=True
            )
        )
    )


def send_review_email(*, owner_id: int, today: datetime.date | None = None) -> int:
    """Email one owner the articles of this period's claimed, unsent reminders; each is sent
    once (the rows are marked sent before the mail leaves, under a row lock)."""
    from communities.models import User

    today = today or timezone.localdate()
    start = period_start(today)
    with transaction.atomic(durable=True):
        reminders = list(
            ReviewReminder.objects.select_for_update()
            .filter(owner_id=owner_id, period_start_on=start, sent_at__isnull=True)
            .order_by("pk")
        )
        if not reminders:
            return 0
        ReviewReminder.objects.filter(pk__in=[r.pk for r in reminders]).update(
            sent_at=timezone.now()
        )
        articles = list(
            ArticlePage.objects.filter(pk__in=[r.article_id for r in reminders]).order_by(
                "review_on", "pk"
            )
        )
        owner = User.objects.get(pk=owner_id)
        context = {
            "owner": owner,
            "articles": articles,
            "base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
            "queue_url": reverse("knowledge_admin:needs-review"),
            "today": today,
        }
        subject = (
            f"{len(articles)} knowledge base article{'s' if len(articles) != 1 else ''} to review"
        )
        body = render_to_string("knowledge/email/review_reminder.txt", context)
        transaction.on_commit(
            lambda: send_member_email(
                user=owner, kind="knowledge_review", subject=subject, text=body
            )
        )
    return len(articles)
