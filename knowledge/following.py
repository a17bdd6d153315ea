"""Emails to the people following an article or a topic: a new article in a followed topic,
a followed article updated or marked obsolete. Each event reaches each follower once."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from communities.public import send_member_email, send_once
from knowledge import selectors
from knowledge.models import ArticlePage, FollowNotice, KnowledgeFollow

# Followers can turn these off from the link in each email (RFC 8058 one-click).
EMAIL_KIND = "knowledge_follow"
NEW = "new"
OBSOLETE = "obsolete"
SUBJECTS = {
    NEW: "New in {topic}: {title}",
    "updated": "Updated: {title}",
    OBSOLETE: "Marked obsolete: {title}",
}


def _recipients(article: ArticlePage, page_ids: list[int]) -> list:
    """Followers of `page_ids` who may read `article` (an audience can shrink after a follow)."""
    follows = KnowledgeFollow.objects.filter(page_id__in=page_ids).select_related("user")
    people = {follow.user_id: follow.user for follow in follows if follow.user.is_active}
    return [person for person in people.values() if selectors.may_read(person, article)]


def notify_followers(*, article_id: int, event: str, revision_id: int = 0) -> int:
    """Claim one notice per follower for this event of the article, then email each unsent one.
    "published": a first publication tells the topic's followers, a later one the article's;
    "obsolete" tells the article's. Running twice sends nothing twice. Returns emails sent."""
    article = ArticlePage.objects.filter(pk=article_id).select_related("source_community").first()
    if article is None or not article.live:
        return 0
    if event == OBSOLETE:
        key, page_ids = OBSOLETE, [article.pk]
    elif article.first_published_at == article.last_published_at:
        key, page_ids = NEW, [article.get_parent().pk]
    else:
        key, page_ids = f"updated:{revision_id}", [article.pk]
    people = _recipients(article, page_ids)
    with transaction.atomic(durable=True):
        FollowNotice.objects.bulk_create(
            [FollowNotice(user=person, article=article, event=key) for person in people],
            ignore_conflicts=True,
        )
    by_id = {person.pk: person for person in people}
    sent = 0
    for notice in FollowNotice.objects.filter(
        article=article, event=key, emailed_at__isnull=True, user_id__in=list(by_id)
    ):
        sent += send_once(
            FollowNotice,
            notice.pk,
            field="emailed_at",
            send=_sender(article, by_id[notice.user_id], key.split(":")[0]),
        )
    return sent


def _sender(article: ArticlePage, person, kind: str):
    topic = article.get_parent()
    context = {
        "person": person,
        "article": article,
        "topic": topic,
        "kind": kind,
        "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + (article.url or ""),
    }
    subject = SUBJECTS[kind].format(topic=topic.title, title=article.title)
    body = render_to_string("knowledge/email/follow_notice.txt", context)

    def send():
        send_member_email(user=person, kind=EMAIL_KIND, subject=subject, text=body)

    return send
