"""The thread page and the thread list keep a constant number of queries as they grow."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.core import selectors as core_selectors
from communities.core.rules import remembering
from communities.discussions.selectors import threads as thread_selectors
from communities.discussions.selectors.threads import visible_threads
from communities.discussions.services.threads import accept_answer
from communities.discussions.services.votes import vote
from communities.moderation.services.actions import hide_content
from tests.communities.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow_thread(cast, thread, replies: int):
    authors = [cast.other_member, cast.champion, cast.moderator, cast.manager]
    have = thread.posts.count()
    for n in range(have, replies):
        parent = thread.posts.filter(parent__isnull=True).first() if n % 3 == 2 else None
        post = make_reply(author=authors[n % 4], thread=thread, body=f"Reply {n}", parent=parent)
        if n % 2 == 0:
            vote(voter=cast.member, post=post)


def test_thread_page_queries_do_not_grow_with_replies(client, cast):
    thread = make_thread(author=cast.member, community=cast.community, tag_names=["a", "b"])
    _grow_thread(cast, thread, 5)
    accept_answer(
        actor=cast.member, thread=thread, post=thread.posts.filter(parent__isnull=True).last()
    )
    url = f"/c/{cast.community.slug}/t/{thread.pk}/"
    client.force_login(cast.member)
    small = _count(client, url)
    _grow_thread(cast, thread, 50)
    large = _count(client, url)
    assert small == large, (small, large)
    # A moderator also sees hidden replies: still the same count at both sizes.
    thread = make_thread(author=cast.member, community=cast.community, title="Second")
    url = f"/c/{cast.community.slug}/t/{thread.pk}/"
    client.force_login(cast.moderator)
    _grow_thread(cast, thread, 5)
    small = _count(client, url)
    _grow_thread(cast, thread, 50)
    assert _count(client, url) == small


def _grow_list(cast, threads: int):
    have = cast.community.threads.count()
    for n in range(have, threads):
        thread = make_thread(
            author=cast.member if n % 2 else cast.other_member,
            community=cast.community,
            title=f"Thread {n}",
            tag_names=[f"tag-{n % 3}", "common"],
            is_anonymous=n % 4 == 0,
        )
        if n % 3 == 0:
            make_reply(author=cast.champion, thread=thread)


@pytest.mark.parametrize("query", ["", "?sort=votes", "?status=answered", "?tag=common&page=2"])
def test_thread_list_queries_do_not_grow_with_threads(client, cast, query):
    url = f"/c/{cast.community.slug}/t/{query}"
    client.force_login(cast.member)
    _grow_list(cast, 5 if "page=2" not in query else 25)
    small = _count(client, url)
    _grow_list(cast, 50)
    large = _count(client, url)
    assert small == large, (small, large)


# Session, user, community, thread (with its answer counts, the viewer's follow and whether
# the knowledge base harvested it), tags, the viewer's object permissions (one query), the
# page of answers, their replies, the viewer's membership, the verified-expert badge and the
# unread badge, and the upsert of the viewer's visit (unread state): 12 for a member (11 for
# a moderator, who needs no badge to verify).
THREAD_PAGE_QUERIES = 12


@pytest.mark.parametrize("who", ["member", "moderator"])
def test_the_thread_page_reads_memberships_once_and_stays_pinned(client, cast, who):
    thread = make_thread(author=cast.member, community=cast.community, tag_names=["a", "b"])
    _grow_thread(cast, thread, 8)
    client.force_login(getattr(cast, who))
    url = f"/c/{cast.community.slug}/t/{thread.pk}/"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    assert len(sql) <= THREAD_PAGE_QUERIES, "\n\n".join(sql)
    membership_reads = [q for q in sql if q.startswith('SELECT "communities_membership"')]
    assert len(membership_reads) <= 1, "\n\n".join(membership_reads)


def test_the_thread_page_masks_the_csrf_token_once_for_all_its_forms(client, cast):
    """Every vote, thanks, accept and reply form of the page carries the same masked token:
    masking it anew per form (about 90 on a page of 30 answers) was a tenth of the page's CPU."""
    thread = make_thread(author=cast.member, community=cast.community)
    _grow_thread(cast, thread, 6)
    client.force_login(cast.member)
    html = client.get(f"/c/{cast.community.slug}/t/{thread.pk}/").content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) > 12
    # The reply form's {% csrf_token %} masks once more; the loop's forms share one token.
    assert len(set(tokens)) <= 2, len(set(tokens))


def test_the_thread_page_builds_the_visibility_filters_once(client, cast, monkeypatch):
    """The thread is checked in Python (`may_read_thread`) and the unread badge builds the
    `visible_threads` filter only for unread rows about other threads: never for a reader who
    is up to date, once for one who is not (they were a tenth of the page's CPU)."""

    builds = {"threads": 0, "communities": 0}
    build_threads = thread_selectors._visible_threads
    build_communities = core_selectors._content_visible

    def count_threads(viewer):
        builds["threads"] += 1
        return build_threads(viewer)

    def count_communities(viewer):
        builds["communities"] += 1
        return build_communities(viewer)

    monkeypatch.setattr(thread_selectors, "_visible_threads", count_threads)
    monkeypatch.setattr(core_selectors, "_content_visible", count_communities)
    thread = make_thread(author=cast.member, community=cast.community)
    make_reply(author=cast.other_member, thread=thread)
    client.force_login(cast.other_member)
    html = client.get(f"/c/{cast.community.slug}/t/{thread.pk}/").content.decode()
    assert thread.title in html
    # The community is read by SQL compiled once (`community_content_for_viewer`).
    assert builds == {"threads": 0, "communities": 0}
    # A reply elsewhere in a thread they follow: the badge asks about that thread, once.
    other = make_thread(author=cast.other_member, community=cast.community, title="Elsewhere")
    make_reply(author=cast.member, thread=other)
    make_reply(author=cast.champion, thread=other)
    builds.update(threads=0, communities=0)
    html = client.get(f"/c/{cast.community.slug}/t/{thread.pk}/").content.decode()
    assert "data-unread-count>" in html
    assert builds == {"threads": 1, "communities": 1}


def test_visible_threads_remembered_for_a_page_is_a_fresh_clone_per_caller(cast):
    """Within one page the remembered filter is never shared mutably: a caller's filter or
    evaluated results do not reach the next caller, and each viewer has their own."""

    shown = make_thread(author=cast.member, community=cast.community, title="Shown")
    hidden = make_thread(author=cast.member, community=cast.community, title="Hidden")
    hide_content(actor=cast.moderator, thread=hidden, reason="Off topic for this place.")
    member, moderator = cast.other_member, cast.moderator
    ids = [shown.pk, hidden.pk]
    with remembering(member), remembering(moderator):
        first = visible_threads(moderator)
        assert list(first.filter(pk=hidden.pk)) == [hidden]
        assert set(visible_threads(moderator).filter(pk__in=ids)) == {shown, hidden}
        evaluated = visible_threads(member)
        assert shown in list(evaluated)
        again = visible_threads(member)
        assert again is not evaluated
        assert again._result_cache is None
        assert set(again.filter(pk__in=ids)) == {shown}
        assert set(visible_threads(moderator).filter(pk__in=ids)) == {shown, hidden}


@pytest.mark.parametrize(
    "page",
    [
        "/c/{community}/",
        "/c/{community}/t/",
        "/search/?q=thread",
        "/tags/alpha/",
    ],
)
def test_list_pages_read_the_viewers_role_permissions_once(client, cast, page):
    """Pages of thread rows ask several rules about the viewer (may manage, may post, may
    manage prompts): their memberships and role permissions are read once per page
    (`remember_permissions`), not through guardian's checker per rule (two queries each).
    A manager: every rule about managing reaches the role permissions."""
    for n in range(3):
        make_thread(
            author=cast.member, community=cast.community, title=f"Thread {n}", tag_names=["alpha"]
        )
    client.force_login(cast.manager)
    url = page.format(community=cast.community.slug)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    guardian_checks = [q for q in sql if "django_content_type" in q]
    assert guardian_checks == [], "\n\n".join(guardian_checks)
    role_reads = [q for q in sql if "guardian_userobjectpermission" in q]
    assert len(role_reads) <= 1, "\n\n".join(role_reads)
