"""Search on PostgreSQL goes through the stored tsvectors and their GIN indexes, ids first,
with the visibility filter on the matches, hidden replies left out and the count capped."""

import random

import pytest
from django.db import connection

from communities.discussions import search
from communities.discussions.selectors.threads import search_threads, visible_threads
from communities.models import Post, Thread
from communities.moderation.services.actions import hide_content
from tests.communities.factories import Cast, make_reply, make_thread

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

WORDS = ["agenda", "timebox", "feedback", "circle", "cadence", "notes", "trust", "energy"]


@pytest.fixture
def cast():
    return Cast()


def _titles(viewer, query) -> set[str]:
    return {thread.title for thread in search_threads(viewer=viewer, query=query)}


def _many_rows(cast, threads: int = 300, posts_per_thread: int = 10) -> None:
    rng = random.Random(3)
    made = Thread.objects.bulk_create(
        Thread(
            community=cast.community,
            author=cast.member,
            kind="discussion",
            title=" ".join(rng.choices(WORDS, k=5)),
            body=" ".join(rng.choices(WORDS, k=40)),
        )
        for _ in range(threads)
    )
    Post.objects.bulk_create(
        Post(thread=thread, author=cast.member, body=" ".join(rng.choices(WORDS, k=30)))
        for thread in made
        for _ in range(posts_per_thread)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE communities_thread")
        cursor.execute("ANALYZE communities_post")


def test_the_search_query_uses_both_gin_indexes(cast):
    _many_rows(cast)
    make_thread(author=cast.member, community=cast.community, title="Rare quokka sighting")
    visible = visible_threads(cast.member)
    plan = search.candidate_ids(visible=visible, query="quokka").explain()
    assert "Bitmap Index Scan on communities_thread_search_gin" in plan, plan
    assert "Bitmap Index Scan on communities_post_search_gin" in plan, plan
    assert "Seq Scan on communities_post" not in plan, plan
    assert _titles(cast.member, "quokka") == {"Rare quokka sighting"}


def test_replies_are_found_but_not_hidden_ones(cast):
    thread = make_thread(author=cast.member, community=cast.community, title="Onboarding")
    post = make_reply(author=cast.other_member, thread=thread, body="A buddy system works")
    assert _titles(cast.outsider, "buddy") == {"Onboarding"}
    hide_content(actor=cast.moderator, thread=thread, post=post, reason="Spam")
    assert _titles(cast.outsider, "buddy") == set()
    assert _titles(cast.moderator, "buddy") == set()


def test_the_count_stops_at_the_cap(cast, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATE_CAP", 3)
    for n in range(5):
        make_thread(author=cast.member, community=cast.community, title=f"Walrus {n}")
    hits = search_threads(viewer=cast.member, query="walrus")
    assert hits.count() == 3
    assert hits.is_capped
    assert len(hits[:20]) == 3


def test_the_search_page_says_when_there_are_more(client, cast, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATE_CAP", 3)
    for n in range(5):
        make_thread(author=cast.member, community=cast.community, title=f"Walrus {n}")
    page = client.get("/search/", {"q": "walrus"}).content.decode()
    assert "3+ threads found" in page
