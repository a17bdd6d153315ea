"""Search stems on SQLite as PostgreSQL does: "retrospective" finds "retrospectives",
"facilitating" finds "facilitation" (core.stemming, a Porter stemmer). The same expectations
run on PostgreSQL (marked postgres) against its own English stemming."""

import pytest
from django.db import connection

from communities.core.stemming import stem, stem_prefix, stemmed_query, stemmed_text
from communities.discussions.selectors.threads import search_threads, similar_threads
from tests.communities.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("retrospective", "retrospect"),
        ("retrospectives", "retrospect"),
        ("facilitating", "facilit"),
        ("facilitation", "facilit"),
        ("facilitate", "facilit"),
        ("facilitator", "facilit"),
        ("mentoring", "mentor"),
        ("mentors", "mentor"),
        ("ponies", "poni"),
        ("caresses", "caress"),
        ("hopping", "hop"),
        ("happy", "happi"),
        ("generalizations", "gener"),
        # Short, numeric and overlong words are kept as they are.
        ("is", "is"),
        ("2026", "2026"),
        ("x" * 60, "x" * 60),
    ],
)
def test_the_stemmer_reduces_word_forms_to_one_stem(word, expected):
    assert stem(word) == expected


def test_indexed_stems_and_query_terms():
    assert stemmed_text("Running Retrospectives", "retrospective runs") == "run retrospect"
    assert stem_prefix("facilitating") == "facilit"
    assert stem_prefix("happy") == "happ"
    # Nothing but word characters reaches the search backend.
    assert stemmed_query("%%% \"' *") is None
    assert stemmed_query("") is None
    assert repr(stemmed_query("retro")) == repr(stemmed_query('"retro"*'))


def _found(viewer, query, **kwargs) -> set[str]:
    return {thread.title for thread in search_threads(viewer=viewer, query=query, **kwargs)}


def _assert_stemming(cast):
    make_thread(
        author=cast.member, community=cast.community, title="Retrospectives that work",
        body="Our team runs them every sprint.",
    )  # fmt: skip
    make_thread(
        author=cast.member, community=cast.community, title="A hard meeting",
        body="Tips on facilitation for a tense room.",
    )  # fmt: skip
    quiet = make_thread(
        author=cast.member, community=cast.community, title="Onboarding", body="Welcome!"
    )
    make_reply(author=cast.other_member, thread=quiet, body="Mentors helped me most.")
    assert _found(cast.outsider, "retrospective") == {"Retrospectives that work"}
    assert _found(cast.outsider, "facilitating") == {"A hard meeting"}
    assert _found(cast.outsider, "facilitate") == {"A hard meeting"}
    assert _found(cast.outsider, "mentoring") == {"Onboarding"}
    assert _found(cast.outsider, "run retrospective") == {"Retrospectives that work"}
    # Every word must match, unless any word is asked for.
    assert _found(cast.outsider, "retrospective facilitating") == set()
    assert _found(cast.outsider, "retrospective facilitating", any_word=True) == {
        "Retrospectives that work",
        "A hard meeting",
    }
    # Exact words still match; punctuation and search operators are plain text.
    assert _found(cast.outsider, "Retrospectives") == {"Retrospectives that work"}
    assert _found(cast.outsider, '"retrospective" NEAR(') == set()
    assert _found(cast.outsider, "retrospective* -") == {"Retrospectives that work"}
    assert _found(cast.outsider, "%") == set()
    similar = similar_threads(
        viewer=cast.outsider, community=cast.community, title="How do you run a retrospective?"
    )
    assert [thread.title for thread in similar] == ["Retrospectives that work"]


def test_search_stems_on_this_database(cast):
    _assert_stemming(cast)


@pytest.mark.postgres
def test_search_stems_the_same_way_on_postgres(cast):
    assert connection.vendor == "postgresql"
    _assert_stemming(cast)
