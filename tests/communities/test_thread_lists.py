"""Every list of threads shows a question's status, filters by it, pages, and keeps its
query count as it grows; the search results are such a list too."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.discussions.services.threads import accept_answer
from tests.communities.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(cast):
    """One question in each status, and a discussion that has none."""
    make_thread(author=cast.member, community=cast.community, title="Lonely compost question")
    answered = make_thread(author=cast.member, community=cast.community, title="Busy compost")
    make_reply(author=cast.other_member, thread=answered)
    accepted = make_thread(author=cast.member, community=cast.community, title="Solved compost")
    answer = make_reply(author=cast.other_member, thread=accepted)
    accept_answer(actor=cast.member, thread=accepted, post=answer)
    make_thread(
        author=cast.member, community=cast.community, kind="discussion", title="Compost chat"
    )
    return cast


def _status_of(html: str, title: str) -> str | None:
    """The status badge on the row that carries `title`."""
    row = next(r for r in html.split('<li class="thread-row"') if title in r)
    found = re.search(r'class="status status--(\w+)"', row)
    return found.group(1) if found else None


ROWS = {
    "Lonely compost question": "unanswered",
    "Busy compost": "answered",
    "Solved compost": "accepted",
    "Compost chat": None,
}


@pytest.mark.parametrize(
    "url",
    ["/c/{slug}/t/", "/c/{slug}/", "/search/?q=compost", "/search/?q=compost&c={slug}"],
    ids=["thread-list", "community-page", "search", "community-search"],
)
def test_every_list_shows_each_questions_status(client, questions, url):
    client.force_login(questions.other_member)
    html = client.get(url.format(slug=questions.community.slug)).content.decode()
    for title, status in ROWS.items():
        assert _status_of(html, title) == status, (url, title)


@pytest.mark.parametrize(
    ("status", "titles"),
    [
        ("unanswered", {"Lonely compost question"}),
        ("answered", {"Busy compost", "Solved compost"}),
        ("accepted", {"Solved compost"}),
    ],
)
def test_the_status_filter_keeps_the_questions_in_that_status(client, questions, status, titles):
    html = client.get(f"/c/{questions.community.slug}/t/?status={status}").content.decode()
    assert {title for title in ROWS if title in html} == titles


def test_the_thread_list_pages_through_every_thread_once(client, cast):
    for n in range(25):
        make_thread(author=cast.member, community=cast.community, title=f"Paged thread {n:02}")
    url = f"/c/{cast.community.slug}/t/?sort=newest"
    first = client.get(url).content.decode()
    second = client.get(url + "&page=2").content.decode()
    on_first = set(re.findall(r"Paged thread \d\d", first))
    on_second = set(re.findall(r"Paged thread \d\d", second))
    assert len(on_first) == 20
    assert len(on_second) == 5
    assert on_first | on_second == {f"Paged thread {n:02}" for n in range(25)}
    assert "Paged thread 24" in on_first  # newest first
    # The pager keeps the sort and says "next" whatever the order, not "older".
    assert 'href="?sort=newest&amp;page=2">Next' in first
    assert 'href="?sort=newest&amp;page=1">' in second


def _search_queries(client, cast, rows: int) -> int:
    have = cast.community.threads.count()
    for n in range(have, rows):
        thread = make_thread(
            author=cast.member,
            community=cast.community,
            title=f"Compost heap {n}",
            tag_names=[f"tag-{n % 3}", "soil"],
            is_anonymous=n % 4 == 0,
        )
        if n % 3 == 0:
            make_reply(author=cast.champion, thread=thread)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/?q=compost")
    assert response.status_code == 200
    return len(queries)


def test_the_search_results_keep_a_constant_number_of_queries(client, cast):
    client.force_login(cast.other_member)
    _search_queries(client, cast, 1)  # warm the session and the content types
    small = _search_queries(client, cast, 5)
    large = _search_queries(client, cast, 50)
    assert small == large, (small, large)
