"""One search: /search/ lists articles and threads together by relevance (articles first on a
tie), says what each result is, filters by type, community and tag, and shows only what the
reader may read, through stored, GIN-indexed tsvectors on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.public import Visibility
from knowledge.models import ArticlePage
from knowledge.services import mark_obsolete
from tests.communities.factories import (
    TagFactory,
    UserFactory,
    add_member,
    make_thread,
    new_community,
)
from tests.knowledge.factories import article, make_editor, topic

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def world():
    community = new_community(visibility=Visibility.OPEN)
    member = add_member(community)
    return community, member, topic("Facilitation")


def results(client, **params) -> list[str]:
    """The titles of the result rows, in order, each prefixed with what the row says it is."""
    from html.parser import HTMLParser

    response = client.get("/search/", params)
    assert response.status_code == 200
    rows: list[dict] = []

    class Rows(HTMLParser):
        want = ""  # "kind" or "title": the next text is that of the current row
        in_title = False

        def handle_starttag(self, tag, attrs):
            classes = (dict(attrs).get("class", "") or "").split()
            if tag == "li" and "thread-row" in classes:
                rows.append({})
            if not rows:
                return
            if tag == "span" and "badge" in classes and "kind" not in rows[-1]:
                self.want = "kind"
            if "thread-row__title" in classes:
                self.in_title = True
            if tag == "a" and self.in_title and "title" not in rows[-1]:
                self.want = "title"

        def handle_data(self, data):
            if self.want and data.strip():
                rows[-1][self.want] = data.strip()
                if self.want == "title":
                    self.in_title = False
                self.want = ""

    Rows().feed(response.content.decode())
    return [f"{row['kind']}: {row['title']}" for row in rows]


def test_articles_and_threads_in_one_list_saying_what_each_is(world, client):
    community, member, facilitation = world
    article(facilitation, title="Walrus tactics", summary="", source_community=community)
    make_thread(author=member, community=community, title="Walrus tactics", body="How?")
    client.force_login(member)
    assert results(client, q="walrus") == ["Article: Walrus tactics", "Question: Walrus tactics"]


def test_the_more_relevant_comes_first_whatever_its_kind(world, client):
    community, member, facilitation = world
    article(
        facilitation, title="Agendas", summary="Also about a walrus.", source_community=community
    )
    make_thread(author=member, community=community, title="Walrus walrus walrus", body="Yes.")
    client.force_login(member)
    assert results(client, q="walrus") == ["Question: Walrus walrus walrus", "Article: Agendas"]


def test_filters_by_type_community_and_tag(world, client):
    community, member, facilitation = world
    other = new_community(visibility=Visibility.OPEN)
    other_member = add_member(other)
    tagged = TagFactory(name="remote")
    page = ArticlePage(title="Walrus remote", summary="", source_community=community)
    facilitation.add_child(instance=page)
    page.tags.set([tagged])
    page.save_revision().publish()
    article(facilitation, title="Walrus elsewhere", summary="", source_community=other)
    make_thread(author=member, community=community, title="Walrus question", tag_names=["remote"])
    make_thread(author=member, community=community, title="Walrus talk", kind="discussion")
    make_thread(author=other_member, community=other, title="Walrus far away")
    client.force_login(member)

    everything = results(client, q="walrus")
    assert len(everything) == 5
    assert sorted(results(client, q="walrus", type="articles")) == [
        "Article: Walrus elsewhere",
        "Article: Walrus remote",
    ]
    assert sorted(results(client, q="walrus", type="questions")) == [
        "Question: Walrus far away",
        "Question: Walrus question",
    ]
    assert sorted(results(client, q="walrus", c=community.slug)) == [
        "Article: Walrus remote",
        "Discussion: Walrus talk",
        "Question: Walrus question",
    ]
    assert sorted(results(client, q="walrus", tag="remote")) == [
        "Article: Walrus remote",
        "Question: Walrus question",
    ]
    page = client.get("/search/", {"q": "walrus", "type": "nonsense"})
    assert page.status_code == 200  # an unknown type is ignored


def test_only_what_the_reader_may_read_and_no_obsolete_articles(world, client):
    community, member, facilitation = world
    restricted = new_community(visibility=Visibility.RESTRICTED)
    insider = add_member(restricted)
    article(facilitation, title="Walrus private lesson", summary="", source_community=restricted)
    make_thread(author=insider, community=restricted, title="Walrus inside")
    gone = article(facilitation, title="Walrus gone", summary="", source_community=community)
    mark_obsolete(gone, by=make_editor())

    for person, seen in (
        (None, []),
        (UserFactory(), []),
        (member, []),
        (insider, ["Article: Walrus private lesson", "Question: Walrus inside"]),
    ):
        client.logout()
        if person:
            client.force_login(person)
        assert sorted(results(client, q="walrus")) == seen


def test_a_republished_article_is_found_by_its_new_words(world, client):
    community, member, facilitation = world
    page = article(facilitation, title="Agendas", summary="", source_community=community)
    client.force_login(member)
    assert results(client, q="narwhal") == []
    page.summary = "Now with a narwhal."
    page.save_revision().publish()
    assert results(client, q="narwhal") == ["Article: Agendas"]


def test_search_pages_run_constant_queries(world, client):
    community, member, facilitation = world
    client.force_login(member)

    def grow(start, n):
        # One thread in five ranks above the rest, so that the first page of 20 holds both
        # kinds at either size (articles win the ties).
        for i in range(start, start + n):
            article(facilitation, title=f"Walrus article {i}", source_community=community)
            title = f"Walrus walrus thread {i}" if i % 5 == 0 else f"Walrus thread {i}"
            make_thread(author=member, community=community, title=title)

    def queries(**params):
        client.get("/search/", params)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/search/", params).status_code == 200
        return len(captured.captured_queries)

    grow(0, 5)
    few = [queries(q="walrus"), queries(q="walrus", tag="facilitation", c=community.slug)]
    grow(5, 45)
    many = [queries(q="walrus"), queries(q="walrus", tag="facilitation", c=community.slug)]
    assert few == many


def test_the_article_vector_has_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'knowledge_articlepage' "
            "AND indexname = 'knowledge_article_search_gin'"
        )
        (definition,) = cursor.fetchone()
    assert "gin (search_vector)" in definition
