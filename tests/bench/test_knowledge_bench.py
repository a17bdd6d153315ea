"""Knowledge search over many threads and articles on PostgreSQL. Run with `make bench`.

Prints p95 timings of the first result page for a rare term, a 1% term and a two-word query:
the article search as readers get it (Wagtail's search backend filtered by
`readable_articles`, rows loaded for the list), the same query as raw SQL full text over the
index table beside it, and the whole /search/ page (articles above threads). Sizes come from
KNOWLEDGE_BENCH_THREADS (default 100,000) and KNOWLEDGE_BENCH_ARTICLES (default 10,000).
"""

import os
import random
import statistics
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from communities.models import Thread
from communities.public import Visibility
from knowledge.models import ArticlePage, Audience, TopicPage
from knowledge.selectors import articles_in_order, search_articles
from tests.bench.test_search_bench import WORDS
from tests.communities.factories import add_member, new_community
from tests.knowledge.factories import topic

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db]

THREADS = int(os.environ.get("KNOWLEDGE_BENCH_THREADS", "100000"))
ARTICLES = int(os.environ.get("KNOWLEDGE_BENCH_ARTICLES", "10000"))
RUNS = 20
INDEX = IndexEntry._meta.db_table
RARE = "zanzibar"  # in 5 articles
COMMON = "quokka"  # in 1% of the articles


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _articles(parent: TopicPage, communities, rng: random.Random) -> None:
    """Live article pages straight into the tree (treebeard paths), then their own rows."""
    page_type = ContentType.objects.get_for_model(ArticlePage)
    now = timezone.now()
    pages = []
    for n in range(ARTICLES):
        words = _text(rng, 5)
        if n < 5:
            words += f" {RARE}"
        if n % 100 == 7:
            words += f" {COMMON}"
        pages.append(
            Page(
                title=words.capitalize(),
                draft_title=words.capitalize(),
                slug=f"article-{n}",
                content_type=page_type,
                path=Page._get_path(parent.path, parent.depth + 1, n + 1),
                depth=parent.depth + 1,
                numchild=0,
                url_path=f"{parent.url_path}article-{n}/",
                live=True,
                first_published_at=now,
                last_published_at=now,
                locale_id=parent.locale_id,
            )
        )
    Page.objects.bulk_create(pages, batch_size=2000)
    Page.objects.filter(pk=parent.pk).update(numchild=ARTICLES)
    for n, page in enumerate(
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    ):
        article = ArticlePage(
            page_ptr_id=page.pk,
            kind="faq",
            summary=_text(rng, 20),
            body=[],
            source_community=communities[n % len(communities)],
            audience=Audience.SOURCE_COMMUNITY,
            review_on=timezone.localdate(),
        )
        article.__dict__.update({f.attname: getattr(page, f.attname) for f in Page._meta.fields})
        article.save_base(raw=True)


def _p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20)[-1] * 1000


def _timed(fn) -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    return _p95(timings)


def test_knowledge_search_over_threads_and_articles(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    rng = random.Random(7)
    communities = [
        new_community(visibility=visibility)
        for visibility in (Visibility.OPEN, Visibility.OPEN, Visibility.RESTRICTED)
    ]
    reader = add_member(communities[0])
    threads = Thread.objects.bulk_create(
        (
            Thread(
                community=communities[n % 2],
                author=reader,
                kind="question",
                title=_text(rng, 6).capitalize() + (f" {COMMON}" if n % 100 == 3 else ""),
                body=_text(rng, 40),
            )
            for n in range(THREADS)
        ),
        batch_size=5000,
    )
    parent = topic("Bench")
    started = time.perf_counter()
    _articles(parent, communities, rng)
    built = time.perf_counter() - started
    backend = get_search_backend()
    started = time.perf_counter()
    backend.add_bulk(Thread, threads)
    backend.add_bulk(ArticlePage, list(ArticlePage.objects.all()))
    indexed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            f"SELECT DISTINCT content_type_id FROM {INDEX} WHERE object_id = %s",  # noqa: S608
            [str(ArticlePage.objects.values_list("pk", flat=True).first())],
        )
        article_type_ids = [row[0] for row in cursor.fetchall()]

    client = Client()
    client.force_login(reader)
    print(
        f"\nknowledge bench: {THREADS:,} threads, {ARTICLES:,} articles "
        f"(pages built in {built:.1f}s, indexed in {indexed:.1f}s)"
    )
    for label, query in (("rare", RARE), ("1%", COMMON), ("two-word", f"{COMMON} facilitation")):

        def articles(query=query):
            rows = articles_in_order(search_articles(viewer=reader, query=query)[:20])
            assert rows

        def raw_sql(query=query):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT object_id FROM {INDEX} "  # noqa: S608
                    "WHERE content_type_id = ANY(%s) "
                    "AND (title || body) @@ plainto_tsquery('english', %s) "
                    "ORDER BY ts_rank(title || body, plainto_tsquery('english', %s)) DESC "
                    "LIMIT 20",
                    [article_type_ids, query, query],
                )
                assert cursor.fetchall()

        def search_page(query=query):
            assert client.get("/search/", {"q": query}).status_code == 200

        results = {
            "articles": _timed(articles),
            "raw_sql": _timed(raw_sql),
            "search_page": _timed(search_page),
        }
        for name, value in results.items():
            print(f"BENCH knowledge_search_{name}_{label.replace('%', 'pct')}_p95_ms {value:.1f}")
