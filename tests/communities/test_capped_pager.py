"""The thread list and the tag page count no further than they must: past the cap the pager
says "more than", Next still leads on, and every thread stays reachable once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.core import paging
from communities.core.paging import CappedPaginator
from communities.discussions.views import tags as tag_views
from communities.discussions.views import threads as thread_views
from communities.models import Thread
from tests.communities.factories import make_thread

THREADS = 11  # pages of 2: five full pages and one of a single thread


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(thread_views, "PAGE_SIZE", 2)
    monkeypatch.setattr(tag_views, "PAGE_SIZE", 2)
    monkeypatch.setattr(paging, "COUNT_CAP", 4)


@pytest.fixture
def threads(cast):
    return [
        make_thread(author=cast.member, community=cast.community, title=f"Paged thread {n:02}")
        for n in range(THREADS)
    ]


def _page(client, cast, page=None, path=None) -> str:
    path = path or f"/c/{cast.community.slug}/t/?sort=newest"
    return client.get(path + (f"&page={page}" if page else "")).content.decode()


def _pager(html: str) -> str:
    return re.search(r'<nav class="pager".*?</nav>', html, re.S).group(0)


def test_the_first_page_says_there_are_more_without_counting_them(
    client, cast, threads, small_pages
):
    pager = _pager(_page(client, cast))
    assert "Page 1 of more than 2" in pager
    assert 'href="?sort=newest&amp;page=2">Next' in pager
    assert "Previous" not in pager
    assert "First" not in pager


def test_a_page_past_the_cap_still_leads_on(client, cast, threads, small_pages):
    pager = _pager(_page(client, cast, page=4))
    assert "Page 4 of more than 5" in pager
    assert 'href="?sort=newest&amp;page=5">Next' in pager
    assert 'href="?sort=newest&amp;page=3">← Previous' in pager
    assert 'href="?sort=newest&amp;page=1">« First' in pager


def test_the_last_page_knows_it_is_the_last(client, cast, threads, small_pages):
    html = _page(client, cast, page=6)
    assert "Paged thread 00" in html
    pager = _pager(html)
    assert "Page 6 of 6" in pager
    assert "Next" not in pager


def test_a_page_beyond_the_end_shows_the_last(client, cast, threads, small_pages):
    html = _page(client, cast, page=99)
    assert "Paged thread 00" in html
    assert "Page 6 of 6" in _pager(html)


def test_following_next_reaches_every_thread_once(client, cast, threads, small_pages):
    seen, page = [], 1
    while True:
        html = _page(client, cast, page=page)
        seen += re.findall(r"Paged thread \d\d", html)
        if f'page={page + 1}">Next' not in html:
            break
        page += 1
    assert page == 6
    assert sorted(seen) == sorted(f"Paged thread {n:02}" for n in range(THREADS))


def test_the_tag_page_pages_the_same_way(client, cast, threads, small_pages):
    html = client.get("/tags/facilitation/").content.decode()
    assert "Page 1 of more than 2" in _pager(html)
    html = client.get("/tags/facilitation/?page=6").content.decode()
    assert "Page 6 of 6" in _pager(html)


def test_short_lists_count_everything_and_say_so(client, cast):
    for n in range(25):
        make_thread(author=cast.member, community=cast.community, title=f"Thread {n}")
    assert "Page 1 of 2" in _pager(_page(client, cast))


def test_the_count_stops_at_the_cap(cast, threads):
    ids = Thread.objects.order_by("-pk").values_list("pk", flat=True)
    with CaptureQueriesContext(connection) as queries:
        pager = CappedPaginator(ids, 2, wanted="1", cap=4)
        assert pager.count == 5
    assert pager.is_capped
    assert pager.known_pages == 2
    assert "LIMIT 5" in queries[0]["sql"]
    assert CappedPaginator(ids, 2, wanted="x", cap=20).count == THREADS
    assert not CappedPaginator(ids, 2, wanted="9", cap=4).is_capped  # counts to page 10
