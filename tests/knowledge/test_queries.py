"""Knowledge pages run a constant number of SQL queries, with 5 rows as with 50."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.public import Visibility
from knowledge.models import ArticleCredit, ArticlePage, ArticleSource
from tests.communities.factories import UserFactory, add_member, make_thread, new_community
from tests.knowledge.factories import article, make_editor, topic

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    """Queries of a second request, so that caches warmed by the first don't count."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.fixture
def world():
    community = new_community(visibility=Visibility.RESTRICTED)
    member = add_member(community)
    return community, member, topic("Facilitation")


def many_articles(parent, community, n, start=0):
    for i in range(start, start + n):
        article(parent, title=f"Retrospective pattern {i}", source_community=community)


@pytest.mark.parametrize(
    "url", ["/kb/", "topic", "/kb/?q=retrospective", "/search/?q=retrospective"]
)
def test_lists_run_constant_queries(world, client, url):
    community, member, facilitation = world
    client.force_login(member)
    url = facilitation.url if url == "topic" else url
    many_articles(facilitation, community, 5)
    few = count_queries(client, url)
    many_articles(facilitation, community, 45, start=5)
    many = count_queries(client, url)
    assert few == many, (url, few, many)


def test_an_article_with_many_sources_and_credits_runs_constant_queries(world, client):
    community, member, facilitation = world
    client.force_login(member)
    page = article(facilitation, source_community=community)

    def grow(n):
        for _ in range(n):
            thread = make_thread(author=member, community=community, title="A thread to cite")
            ArticleSource.objects.create(page=page, thread=thread, harvested_at=timezone.now())
            ArticleCredit.objects.create(page=page, user=UserFactory())

    def queries():
        return count_queries(client, page.url)

    grow(5)
    few = queries()
    grow(45)
    assert queries() == few
    assert ArticleSource.objects.filter(page=page).count() == 50


def test_the_needs_review_queue_runs_constant_queries(world, client):
    community, _, facilitation = world
    editor = make_editor()
    client.force_login(editor)
    past = timezone.localdate() - datetime.timedelta(days=1)

    def queries():
        client.get("/cms/knowledge/needs-review/")
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/cms/knowledge/needs-review/")
        assert response.status_code == 200
        return len(captured.captured_queries), response.content.decode()

    many_articles(facilitation, community, 5)
    ArticlePage.objects.update(review_on=past, owner=editor)
    few, body = queries()
    assert "Retrospective pattern 4" in body
    many_articles(facilitation, community, 45, start=5)
    ArticlePage.objects.update(review_on=past, owner=editor)
    many, body = queries()
    assert "Retrospective pattern 49" in body
    assert few == many
