"""Reads of the knowledge base. `readable_articles` alone decides who reads which article."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from communities.models import CircleMembership
from communities.public import content_visible_communities, stemmed_query, visible_threads
from knowledge import search
from knowledge.models import (
    ArticleCredit,
    ArticleFeedback,
    ArticlePage,
    ArticleSource,
    Audience,
    CreditPreference,
    KnowledgeFollow,
    KnowledgeHomePage,
    TopicPage,
)
from knowledge.permissions import is_editor

HOME_NEWEST = 10
HOME_MOST_HELPFUL = 5
TOPIC_PAGE_SIZE = 50
SEARCH_SECTION_SIZE = 5
ACTIVE_IN_CIRCLE = "active"  # CircleMembershipStatus.ACTIVE, which communities.models omits
# Readers answering "not helpful" since the last review that put an article in the queue.
UNHELPFUL_THRESHOLD = 3


def readable_articles(viewer) -> QuerySet[ArticlePage]:
    """Live articles `viewer` may read: opened to everyone by an editor, written without a
    source community, or from a community whose content the viewer may read (an open one,
    or one they are an active member of); a circle meeting's lesson only by the circle's
    active members until the circle agrees to share it. Editors and staff read all. Every
    list, search, feed and sitemap of articles starts here."""
    articles = ArticlePage.objects.live()
    if is_editor(viewer):
        return articles
    readable = Q(audience=Audience.EVERYONE) | (
        Q(audience=Audience.SOURCE_COMMUNITY)
        & (
            Q(source_community__isnull=True)
            | Q(source_community__in=content_visible_communities(viewer))
        )
    )
    if viewer.is_authenticated:
        # A circle's lesson, until the circle agrees to share it: its active members only.
        readable |= Q(audience=Audience.SOURCE_CIRCLE) & Q(
            source_circle__in=CircleMembership.objects.filter(
                user_id=viewer.pk, status=ACTIVE_IN_CIRCLE
            ).values("circle_id")
        )
    return articles.filter(readable)


def public_articles() -> QuerySet[ArticlePage]:
    """What anybody may read: the feed and the sitemap."""
    return readable_articles(AnonymousUser()).filter(is_obsolete=False)


def may_read(viewer, article: ArticlePage) -> bool:
    return readable_articles(viewer).filter(pk=article.pk).exists()


def _rows(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    return articles.select_related("source_community").prefetch_related("tags")


def _searchable(viewer, *, community=None, tag: str = "") -> QuerySet[ArticlePage]:
    readable = readable_articles(viewer).filter(is_obsolete=False)
    if community is not None:
        readable = readable.filter(source_community=community)
    if tag:
        readable = readable.filter(tags__name=tag)
    return readable


def article_search_hits(
    *, viewer, query: str, community=None, tag: str = ""
) -> list[tuple[float, int]]:
    """(rank, id) of the articles matching `query` that `viewer` may read, obsolete ones left
    out, best first, capped. On PostgreSQL the ranks compare with thread ranks."""
    query = (query or "").strip()
    if not query:
        return []
    readable = _searchable(viewer, community=community, tag=tag)
    if search.uses_stored_vectors():
        return search.ranked_article_hits(readable=readable, query=query)
    found = search_articles(viewer=viewer, query=query, community=community, tag=tag)
    return [(0.0, article.pk) for article in found[: search.CANDIDATE_CAP]]


def search_articles(*, viewer, query: str, community=None, tag: str = ""):
    """Articles matching `query` that `viewer` may read, obsolete ones left out, best first;
    a result the caller slices. PostgreSQL: the stored, indexed vector (`knowledge.search`);
    elsewhere Wagtail's search backend."""
    from wagtail.search.backends import get_search_backend

    query = (query or "").strip()
    if not query:
        return ArticlePage.objects.none()
    if search.uses_stored_vectors():
        return [
            pk
            for _, pk in article_search_hits(
                viewer=viewer, query=query, community=community, tag=tag
            )
        ]
    # SQLite does not stem: each word matches itself or its stem, which the index holds too.
    stemmed = stemmed_query(query)
    if stemmed is None:
        return ArticlePage.objects.none()
    readable = _searchable(viewer, community=community, tag=tag)
    # The backend understands plain field lookups; the audience joins go in a subquery.
    candidates = ArticlePage.objects.filter(page_ptr_id__in=readable.values("pk")).order_by()
    return get_search_backend().search(stemmed, candidates)


def articles_in_order(articles) -> list[ArticlePage]:
    """A page of search results as list rows, in the order given, in constant queries."""
    pks = [getattr(article, "pk", article) for article in articles]
    by_pk = {article.pk: article for article in _rows(ArticlePage.objects.filter(pk__in=pks))}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def home_context(*, viewer, query: str = "") -> dict:
    """What /kb/ shows: topics, the newest and the most helpful articles, search results."""
    readable = _rows(readable_articles(viewer).filter(is_obsolete=False))
    context = {
        "topics": list(TopicPage.objects.live().order_by("title")),
        "newest": list(readable.order_by("-first_published_at", "-pk")[:HOME_NEWEST]),
        "most_helpful": list(
            readable.filter(helpful_count__gt=0).order_by("-helpful_count", "-pk")[
                :HOME_MOST_HELPFUL
            ]
        ),
        "results": None,
    }
    if query:
        context["results"] = articles_in_order(search_articles(viewer=viewer, query=query)[:20])
    return context


def topic_context(*, viewer, topic: TopicPage) -> dict:
    articles = _rows(readable_articles(viewer).child_of(topic)).order_by("title", "pk")
    return {
        "articles": list(articles[:TOPIC_PAGE_SIZE]),
        "following": is_following(viewer, topic),
    }


def is_following(viewer, page) -> bool:
    if not viewer.is_authenticated:
        return False
    return KnowledgeFollow.objects.filter(user_id=viewer.pk, page_id=page.pk).exists()


def article_context(*, viewer, article: ArticlePage) -> dict:
    """What an article page shows besides its fields: its sources (linked when the reader may
    see the thread), the people credited (nobody under the Chatham House rule), the reader's
    own feedback and follow."""
    community = article.source_community
    chatham = bool(community and community.is_chatham_house)
    sources = list(
        ArticleSource.objects.filter(page=article)
        .select_related("thread__community")
        .order_by("sort_order", "pk")
    )
    thread_ids = [source.thread_id for source in sources if source.thread_id]
    seen = set(visible_threads(viewer).filter(pk__in=thread_ids).values_list("pk", flat=True))
    for source in sources:
        source.is_visible = source.thread_id in seen
    credits = []
    withheld_names = set()
    if not chatham:
        rows = (
            ArticleCredit.objects.filter(page=article)
            .select_related("user")
            .annotate(
                declined=Exists(
                    CreditPreference.objects.filter(user_id=OuterRef("user_id"), wants_credit=False)
                )
            )
            .order_by("sort_order", "pk")
        )
        for credit in rows:
            if credit.declined:
                # Said no after the harvest: their name leaves the quotes too.
                withheld_names.add(credit.user.public_name)
            else:
                credits.append(credit.user)
    feedback = None
    if viewer.is_authenticated:
        feedback = ArticleFeedback.objects.filter(article=article, user_id=viewer.pk).first()
    return {
        "tags": list(article.tags.all()),
        "sources": sources,
        "credits": credits,
        "withheld_names": withheld_names,
        "is_chatham_house": chatham,
        "show_owner": not chatham and article.owner_id is not None,
        "feedback": feedback,
        "following": is_following(viewer, article),
    }


def declined_credit(user_ids) -> set[int]:
    """Those of `user_ids` who said no to being named and credited in articles."""
    return set(
        CreditPreference.objects.filter(
            user_id__in=[pk for pk in user_ids if pk], wants_credit=False
        ).values_list("user_id", flat=True)
    )


def credit_preference(user) -> bool:
    """Whether `user` agrees to be credited (yes unless they said no)."""
    return not CreditPreference.objects.filter(user_id=user.pk, wants_credit=False).exists()


def harvested_q() -> Exists:
    """For a query of threads: whether any article, published or not, draws on the thread."""
    return Exists(ArticleSource.objects.filter(thread=OuterRef("pk")))


def has_been_harvested(thread) -> bool:
    """Whether any article, published or not, draws on `thread`."""
    return ArticleSource.objects.filter(thread=thread).exists()


def harvested_into(*, viewer, thread) -> list[ArticlePage]:
    """Published articles drawing on `thread` that `viewer` may read."""
    return list(
        readable_articles(viewer)
        .filter(page_ptr_id__in=ArticleSource.objects.filter(thread=thread).values("page_id"))
        .order_by("title")
    )


def pending_draft_for(thread) -> ArticlePage | None:
    """The never-published draft harvested from `thread`, if there is one."""
    return (
        ArticlePage.objects.filter(
            live=False,
            first_published_at__isnull=True,
            page_ptr_id__in=ArticleSource.objects.filter(thread=thread).values("page_id"),
        )
        .order_by("pk")
        .first()
    )


def needs_review_q(today: datetime.date | None = None) -> Q:
    today = today or timezone.localdate()
    return (
        Q(review_on__lt=today)
        | Q(source_changed_at__isnull=False)
        | Q(unhelpful_since_review__gte=UNHELPFUL_THRESHOLD)
    )


def articles_needing_review(*, user=None) -> QuerySet[ArticlePage]:
    """Live, not obsolete articles that are past their review date, whose source thread moved
    on, or that several readers found unhelpful; for a non-editor only the ones they own.
    Oldest review date first."""
    articles = ArticlePage.objects.live().filter(is_obsolete=False).filter(needs_review_q())
    if user is not None and not is_editor(user):
        articles = articles.filter(owner_id=user.pk)
    return articles.select_related("owner", "source_community").order_by("review_on", "pk")


def knowledge_home() -> KnowledgeHomePage | None:
    return KnowledgeHomePage.objects.first()


def _not_yet_harvested_in(**where):
    from django.db.models import Exists, OuterRef

    from communities.models import Thread

    return (
        Thread.objects.filter(is_hidden=False, circle__isnull=True, **where)
        .filter(Q(accepted_answer__isnull=False) | Q(verified_answer__isnull=False))
        .exclude(Exists(ArticleSource.objects.filter(thread=OuterRef("pk"))))
    )


def not_yet_harvested(community):
    """Visible, non-circle threads of `community` with an accepted or verified answer that no
    article draws on yet, newest activity first."""
    return _not_yet_harvested_in(community=community).order_by("-last_activity_at", "-pk")


def not_yet_harvested_counts(community_ids) -> dict[int, int]:
    """How many such threads wait in each of `community_ids`, in one query."""
    from django.db.models import Count

    return dict(
        _not_yet_harvested_in(community_id__in=list(community_ids))
        .order_by()
        .values("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
    )


def pending_draft_for_meeting(meeting) -> ArticlePage | None:
    """The never-published lesson drafted from `meeting`, if there is one."""
    return (
        ArticlePage.objects.filter(
            live=False, first_published_at__isnull=True, source_meeting=meeting
        )
        .order_by("pk")
        .first()
    )


def articles_managed_by(user) -> QuerySet[ArticlePage]:
    """Articles, drafts included, whose source community `user` actively manages; newest
    change first."""
    from communities.models import Membership
    from communities.public import MembershipStatus, Role

    if not getattr(user, "is_authenticated", False):
        return ArticlePage.objects.none()
    managed = Membership.objects.filter(
        user_id=user.pk, status=MembershipStatus.ACTIVE, role=Role.MANAGER
    ).values("community_id")
    return (
        ArticlePage.objects.filter(source_community__in=managed)
        .select_related("source_community")
        .order_by("-latest_revision_created_at", "-pk")
    )
