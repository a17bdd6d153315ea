"""Article search stems on SQLite as on PostgreSQL: "retrospective" finds "Running
retrospectives", "facilitating" an article on facilitation (communities.public's stemmer)."""

import pytest
from django.db import connection

from knowledge.models import ArticlePage
from knowledge.selectors import article_search_hits
from tests.communities.factories import UserFactory
from tests.knowledge.factories import article, topic

pytestmark = pytest.mark.django_db


def _titles(query) -> set[str]:
    viewer = UserFactory()
    ids = [pk for _, pk in article_search_hits(viewer=viewer, query=query)]
    return set(ArticlePage.objects.filter(pk__in=ids).values_list("title", flat=True))


def _assert_stemming():
    parent = topic("Practice")
    article(parent, title="Running retrospectives", summary="What we learned.")
    article(parent, title="A tense room", summary="Notes on facilitation under pressure.")
    assert _titles("retrospective") == {"Running retrospectives"}
    assert _titles("facilitating") == {"A tense room"}
    assert _titles("run retrospective") == {"Running retrospectives"}
    assert _titles("retrospective facilitating") == set()
    assert _titles("%") == set()
    assert _titles('"retrospective" NEAR(') == set()


def test_article_search_stems_on_this_database():
    _assert_stemming()


@pytest.mark.postgres
def test_article_search_stems_the_same_way_on_postgres():
    assert connection.vendor == "postgresql"
    _assert_stemming()
