"""The one search over 100,000 threads and 10,000 articles on PostgreSQL. Run with `make bench`
(or this file alone: `pytest tests/bench/test_knowledge_bench.py -o addopts="" -s`).

Builds the rows in bulk (threads with `bulk_create`, whose tsvectors PostgreSQL generates;
article pages with `bulk_create`, their own rows with one multi-row INSERT and their vectors
with the same UPDATE a publish runs), then prints p95 timings of the first result page for a
rare term, a 1% term and a two-word query:

- `articles`: the article hits as readers get them (`readable_articles` + the indexed vector,
  rows loaded for the list), beside `articles_raw_sql`, the bare full-text query on the index;
- `search_page`: the whole /search/ page (articles and threads merged, rendered), beside
  `search_raw_sql`, one raw SQL full-text query ranking both tables together.

Sizes come from KNOWLEDGE_BENCH_THREADS (default 100,000) and KNOWLEDGE_BENCH_ARTICLES
(default 10,000).
"""

import json
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

from communities.models import Thread
from communities.public import Visibility
from knowledge.models import ArticlePage, Audience, TopicPage
from knowledge.search import refresh_search_vectors
from knowledge.selectors import article_search_hits, articles_in_order
from tests.bench.test_search_bench import WORDS
from tests.communities.factories import add_member, new_community
from tests.knowledge.factories import topic

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db]

THREADS = int(os.environ.get("KNOWLEDGE_BENCH_THREADS", "100000"))
ARTICLES = int(os.environ.get("KNOWLEDGE_BENCH_ARTICLES", "10000"))
RUNS = 20
RARE = "zanzibar"  # in 5 articles and 5 threads
COMMON = "quokka"  # in 1% of the articles and 1% of the threads
ARTICLES_RAW = (
    "SELECT page_ptr_id FROM knowledge_articlepage "
    "WHERE search_vector @@ websearch_to_tsquery('english', %(q)s) "
    "ORDER BY ts_rank(search_vector, websearch_to_tsquery('english', %(q)s)) DESC LIMIT 20"
)
BOTH_RAW = (
    "SELECT kind, id FROM ("
    " SELECT 0 AS kind, page_ptr_id AS id,"
    "  ts_rank(search_vector, websearch_to_tsquery('english', %(q)s)) AS rank"
    " FROM knowledge_articlepage"
    " WHERE search_vector @@ websearch_to_tsquery('english', %(q)s)"
    " UNION ALL"
    " SELECT 1, id, ts_rank(search_vector, websearch_to_tsquery('english', %(q)s))"
    " FROM communities_thread"
    " WHERE search_vector @@ websearch_to_tsquery('english', %(q)s)"
    ") AS hits ORDER BY rank DESC, kind LIMIT 20"
)
ARTICLE_INSERT = (
    "INSERT INTO knowledge_articlepage (page_ptr_id, kind, summary, body, source_community_id, "
    "authority, audience, review_on, is_obsolete, helpful_count, unhelpful_count, "
    "unhelpful_since_review) VALUES (%s, 'faq', %s, %s::jsonb, %s, 'community', %s, %s, "
    "false, 0, 0, 0)"
)


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _articles(parent: TopicPage, communities, rng: random.Random) -> None:
    """Live article pages straight into the tree (treebeard paths), then their own rows and
    their search vectors in bulk."""
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
    ids = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).values_list(
        "pk", flat=True
    )
    today = timezone.localdate()
    rows = []
    for n, pk in enumerate(ids.order_by("path")):
        body = [
            {
                "type": "text",
                "value": f"<p>{_text(rng, 60)}</p>",
                "id": f"00000000-0000-0000-0000-{n:012d}",
            }
        ]
        rows.append(
            (
                pk,
                _text(rng, 20),
                json.dumps(body),
                communities[n % len(communities)].pk,
                Audience.SOURCE_COMMUNITY,
                today,
            )
        )
    with connection.cursor() as cursor:
        cursor.executemany(ARTICLE_INSERT, rows)
    refresh_search_vectors()


def _p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20)[-1] * 1000


def _timed(fn) -> float:
    fn()  # warm
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    return _p95(timings)


def test_one_search_over_threads_and_articles(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    rng = random.Random(7)
    communities = [
        new_community(visibility=visibility)
        for visibility in (Visibility.OPEN, Visibility.OPEN, Visibility.RESTRICTED)
    ]
    reader = add_member(communities[0])

    started = time.perf_counter()

    def title(n: int) -> str:
        extra = f" {COMMON}" if n % 100 == 3 else ""
        extra += f" {RARE}" if n < 5 else ""
        return _text(rng, 6).capitalize() + extra

    Thread.objects.bulk_create(
        (
            Thread(
                community=communities[n % 2],
                author=reader,
                kind="question",
                title=title(n),
                body=_text(rng, 40),
            )
            for n in range(THREADS)
        ),
        batch_size=5000,
    )
    threads_built = time.perf_counter() - started
    parent = topic("Bench")
    started = time.perf_counter()
    _articles(parent, communities, rng)
    articles_built = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    client = Client()
    client.force_login(reader)
    print(
        f"\nknowledge bench: {THREADS:,} threads (built in {threads_built:.1f}s), "
        f"{ARTICLES:,} articles (built and indexed in {articles_built:.1f}s)"
    )
    for label, query in (("rare", RARE), ("1%", COMMON), ("two-word", f"{COMMON} facilitation")):

        def articles(query=query):
            hits = article_search_hits(viewer=reader, query=query)
            assert articles_in_order([pk for _, pk in hits[:20]])

        def articles_raw_sql(query=query):
            with connection.cursor() as cursor:
                cursor.execute(ARTICLES_RAW, {"q": query})
                assert cursor.fetchall()

        def search_page(query=query):
            response = client.get("/search/", {"q": query})
            assert response.status_code == 200
            assert b"article-row" in response.content

        def search_raw_sql(query=query):
            with connection.cursor() as cursor:
                cursor.execute(BOTH_RAW, {"q": query})
                assert cursor.fetchall()

        results = {
            "articles": _timed(articles),
            "articles_raw_sql": _timed(articles_raw_sql),
            "search_page": _timed(search_page),
            "search_raw_sql": _timed(search_raw_sql),
        }
        for name, value in results.items():
            print(f"BENCH knowledge_search_{name}_{label.replace('%', 'pct')}_p95_ms {value:.1f}")
