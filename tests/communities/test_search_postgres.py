"""Search on PostgreSQL goes through the stored tsvectors and their GIN indexes, ids first,
with the visibility filter on the matches, hidden replies left out and the count capped."""

import random

import pytest
from django.db import connection

from communities.discussions import search
from communities.discussions.selectors.threads import search_threads, visible_threads
from communities.discussions.services.posts import edit_post
from communities.models import Post, Thread
from communities.moderation.services.actions import hide_content, restore_content
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


def test_a_rare_term_is_found_through_the_thread_document_index(cast):
    _many_rows(cast)
    make_thread(author=cast.member, community=cast.community, title="Rare quokka sighting")
    thread = make_thread(author=cast.member, community=cast.community, title="Zoo notes")
    make_reply(author=cast.other_member, thread=thread, body="A numbat, too")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE communities_thread")
    visible = visible_threads(cast.member)
    for query in ("quokka", "numbat"):
        plan = search.candidate_ids(visible=visible, query=query).explain()
        assert "Bitmap Index Scan on communities_thread_document_gin" in plan, plan
        # One index answers: no scan of the thread table, none of the replies at all.
        assert "Seq Scan on communities_thread" not in plan, plan
        assert "communities_post" not in plan, plan
    assert _titles(cast.member, "quokka") == {"Rare quokka sighting"}
    assert _titles(cast.member, "numbat") == {"Zoo notes"}


def test_a_frequent_term_never_scans_a_table(cast):
    _many_rows(cast)
    plan = search.candidate_ids(visible=visible_threads(cast.member), query="agenda").explain()
    # Either the document index or the primary key walked newest first, stopping at the cap.
    assert "communities_thread_document_gin" in plan or "communities_thread_pkey" in plan, plan
    assert "Seq Scan on communities_thread" not in plan, plan
    assert "communities_post" not in plan, plan


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


def _replies_vector(thread) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT replies_vector FROM communities_thread WHERE id = %s", [thread.pk])
        return cursor.fetchone()[0]


def _rebuilt_vector(thread) -> str:
    """What a rebuild from every reply would store: what the triggers must keep."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(array_to_tsvector(array_agg(DISTINCT u.lexeme)), '') "
            "FROM communities_post p CROSS JOIN LATERAL unnest(p.search_vector) u "
            "WHERE p.thread_id = %s AND NOT p.is_hidden",
            [thread.pk],
        )
        return cursor.fetchone()[0]


def test_the_thread_document_follows_every_reply_write(cast):
    thread = make_thread(author=cast.member, community=cast.community, title="Onboarding")
    other = make_thread(author=cast.member, community=cast.community, title="Budgets")
    assert _replies_vector(thread) == ""
    first = make_reply(author=cast.other_member, thread=thread, body="Pair newcomers up")
    second = make_reply(author=cast.other_member, thread=thread, body="A welcome call")
    assert _titles(cast.member, "newcomers") == {"Onboarding"}
    assert _replies_vector(thread) == _rebuilt_vector(thread)

    edit_post(actor=cast.other_member, post=first, body="Use a buddy system")
    assert _titles(cast.member, "newcomers") == set()
    assert _titles(cast.member, "buddy") == {"Onboarding"}

    hide_content(actor=cast.moderator, thread=thread, post=second, reason="Spam")
    assert _titles(cast.member, "welcome") == set()
    restore_content(actor=cast.moderator, thread=thread, post=second, reason="Fine after all")
    assert _titles(cast.member, "welcome") == {"Onboarding"}

    Post.objects.filter(pk=second.pk).update(thread=other)
    assert _titles(cast.member, "welcome") == {"Budgets"}
    assert _replies_vector(thread) == _rebuilt_vector(thread)
    assert _replies_vector(other) == _rebuilt_vector(other)

    Post.objects.filter(pk=first.pk).delete()
    assert _titles(cast.member, "buddy") == set()
    assert _replies_vector(thread) == ""


def test_a_long_thread_keeps_each_word_of_its_replies_once(cast):
    thread = make_thread(author=cast.member, community=cast.community, title="Standups")
    for _ in range(30):
        make_reply(author=cast.other_member, thread=thread, body="Timebox the standup, timebox")
    # Lexemes without positions: the document grows with the thread's vocabulary only.
    assert _replies_vector(thread) == "'standup' 'timebox'"


def test_a_bulk_load_without_the_triggers_is_caught_up_by_the_rebuild(cast):
    thread = make_thread(author=cast.member, community=cast.community, title="Retro formats")
    search.set_replies_triggers(enabled=False)
    Post.objects.bulk_create(
        [
            Post(thread=thread, author=cast.member, body="Try a sailboat retro"),
            Post(thread=thread, author=cast.member, body="Hidden words", is_hidden=True),
        ]
    )
    search.set_replies_triggers(enabled=True)
    assert _titles(cast.member, "sailboat") == set()
    search.rebuild_replies_vectors()
    assert _titles(cast.member, "sailboat") == {"Retro formats"}
    assert _titles(cast.member, "hidden") == set()
    assert _replies_vector(thread) == _rebuilt_vector(thread)
