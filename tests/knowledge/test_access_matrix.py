"""Every knowledge URL (and search) from every role, for articles harvested from open,
restricted, private and Chatham House communities, and a lesson harvested from a circle
meeting of an open community (its circle alone reads it; `member` is in the circle,
`bystander` is a member of the community outside it).

`READS` says who may read an article of each source; every row of `URLS` is then checked for
every role: a reader gets the page (or finds the article in the list), anyone else a 404 (or
no trace of it). The feed and the sitemap carry only what anybody may read.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from communities.public import Role, Visibility
from knowledge.models import ArticleFeedback, KnowledgeFollow
from tests.communities.factories import UserFactory, add_member, new_community
from tests.knowledge.factories import circle_lesson, harvested_article, make_editor

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "member", "bystander", "editor", "other_manager", "staff")
SOURCES = ("open", "restricted", "private", "chatham", "circle")

# Who reads an article of each source (1 = reads it, 0 = 404 and absent everywhere).
READS = {
    #             anonymous outsider member bystander editor other_manager staff
    "open":       (1,        1,       1,     1,        1,     1,            1),
    "restricted": (0,        0,       1,     1,        1,     0,            1),
    "private":    (0,        0,       1,     1,        1,     0,            1),
    "chatham":    (1,        1,       1,     1,        1,     1,            1),
    "circle":     (0,        0,       1,     0,        1,     0,            1),
}  # fmt: skip
# What anybody may read: in the Atom feed and the sitemap, whoever fetches them.
PUBLIC = {"open": 1, "restricted": 0, "private": 0, "chatham": 1, "circle": 0}


@dataclass
class World:
    article: object
    people: dict


def build(source: str) -> World:
    visibility = Visibility.OPEN if source in ("chatham", "circle") else source
    community = new_community(visibility=visibility, is_chatham_house=source == "chatham")
    other = new_community()
    people = {
        "anonymous": None,
        "outsider": UserFactory(),
        "member": add_member(community),
        "bystander": add_member(community),
        "editor": make_editor(),
        "other_manager": add_member(other, role=Role.MANAGER),
        "staff": UserFactory(is_staff=True),
    }
    if source == "circle":
        lesson = circle_lesson(community, people["member"], add_member(community))
        return World(article=lesson, people=people)
    return World(article=harvested_article(community), people=people)


@dataclass
class Row:
    name: str
    # Returns True when the person could read the article through this URL.
    check: Callable


def article_page(client, article):
    response = client.get(article.url)
    assert response.status_code in (200, 404)
    return response.status_code == 200


def listed(url: Callable):
    def check(client, article):
        response = client.get(url(article))
        assert response.status_code == 200
        return article.url in response.content.decode()

    return check


def feedback_post(client, article):
    url = reverse("knowledge:feedback", args=[article.pk])
    response = client.post(url, {"helpful": "yes"})
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return None  # anonymous: sign in first, nothing written
    assert response.status_code in (302, 404)
    return ArticleFeedback.objects.filter(article=article).exists()


def follow_post(client, article):
    response = client.post(reverse("knowledge:follow", args=[article.pk]), {"action": "follow"})
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return None
    assert response.status_code in (302, 404)
    return KnowledgeFollow.objects.filter(page_id=article.pk).exists()


URLS = [
    Row("article page", article_page),
    Row("knowledge home", listed(lambda article: "/kb/")),
    Row("topic page", listed(lambda article: article.get_parent().url)),
    Row("knowledge search", listed(lambda article: "/kb/?q=retrospective")),
    Row("site search", listed(lambda article: "/search/?q=retrospective")),
    Row("helpful", feedback_post),
    Row("follow", follow_post),
]


@pytest.mark.parametrize("source", SOURCES)
def test_every_knowledge_url_from_every_role(source, client_for):
    world = build(source)
    failures = []
    for role, reads in zip(ROLES, READS[source], strict=True):
        client = client_for(world.people[role])
        for row in URLS:
            ArticleFeedback.objects.all().delete()
            KnowledgeFollow.objects.all().delete()
            seen = row.check(client, world.article)
            if seen is None:  # an anonymous write: redirected to sign in
                assert role == "anonymous"
                continue
            if bool(seen) != bool(reads):
                failures.append(f"{source} / {role} / {row.name}: got {seen}, want {reads}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("source", SOURCES)
def test_feed_and_sitemap_carry_only_public_articles(source, client_for):
    world = build(source)
    for role in ("anonymous", "member", "staff"):
        client = client_for(world.people[role])
        for url in (reverse("knowledge:feed"), reverse("knowledge:sitemap")):
            body = client.get(url).content.decode()
            assert (world.article.url in body) == bool(PUBLIC[source]), (source, role, url)


def test_an_editor_may_open_a_restricted_article_to_everyone_and_it_is_recorded(client_for):
    from knowledge.services import open_to_everyone

    world = build("restricted")
    editor = world.people["editor"]
    client = client_for(None)
    assert client.get(world.article.url).status_code == 404
    open_to_everyone(world.article, by=editor, confirmed=True)
    assert client.get(world.article.url).status_code == 200
    world.article.refresh_from_db()
    assert world.article.opened_by == editor
    assert world.article.opened_at is not None
    assert world.article.url in client.get(reverse("knowledge:feed")).content.decode()
