"""SQL queries per list page with 5 and with 50 rows. Run with `make bench`; prints a table.

The suite asserts the counts stay equal (tests/communities/test_*queries*, test_directory, ...);
this prints the figures in one place for the closing notes and for anyone tuning a page.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from communities.models import Tag
from communities.moderation.services.flags import flag_content
from tests.communities.factories import (
    CommunityFactory,
    make_circle,
    make_member,
    make_reply,
    make_thread,
)

pytestmark = [pytest.mark.bench, pytest.mark.django_db]


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


class World:
    """One open community, a moderator who reads every page, and ways to add n rows of each."""

    def __init__(self):
        self.community = CommunityFactory()
        self.viewer = make_member(self.community, role="moderator")
        self.thread = make_thread(author=self.viewer, community=self.community, title="Seed")
        self.tag = Tag.objects.get_or_create(name="facilitation")[0]

    def communities(self, n):
        for _ in range(n):
            CommunityFactory().tags.add(self.tag)

    def members(self, n):
        for _ in range(n):
            make_member(self.community).expertise.add(self.tag)

    def threads(self, n):
        author = make_member(self.community)
        for i in range(n):
            make_thread(author=author, community=self.community, title=f"Question {i}")

    def replies(self, n):
        for i in range(n):
            make_reply(author=make_member(self.community), thread=self.thread, body=f"Reply {i}")

    def circles(self, n):
        for i in range(n):
            make_circle(self.community, name=f"Circle {i}")

    def flags(self, n):
        flagger = make_member(self.community)
        for i in range(n):
            post = make_reply(author=make_member(self.community), thread=self.thread, body=f"{i}")
            flag_content(flagger=flagger, thread=self.thread, post=post, reason="spam")


PAGES = [
    ("directory /c/", "communities", lambda w: "/c/"),
    ("community page", "members", lambda w: f"/c/{w.community.slug}/"),
    ("member directory", "members", lambda w: f"/c/{w.community.slug}/members/"),
    ("thread list", "threads", lambda w: f"/c/{w.community.slug}/t/"),
    ("thread page", "replies", lambda w: f"/c/{w.community.slug}/t/{w.thread.pk}/"),
    ("notifications", "replies", lambda w: "/notifications/"),
    ("search", "threads", lambda w: "/search/?q=question"),
    ("circle list", "circles", lambda w: f"/c/{w.community.slug}/circles/"),
    ("moderation queue", "flags", lambda w: f"/c/{w.community.slug}/moderation/"),
]


def test_print_query_counts_of_list_pages(settings, capsys):
    rows = []
    for label, grow, url_of in PAGES:
        world = World()
        client = Client()
        client.force_login(world.viewer)
        getattr(world, grow)(5)
        small = queries(client, url_of(world))
        getattr(world, grow)(45)
        large = queries(client, url_of(world))
        rows.append((label, grow, small, large))
    with capsys.disabled():
        print("\nSQL queries per page (5 rows / 50 rows):")
        for label, grow, small, large in rows:
            flag = "" if small == large else "   <-- grows"
            print(f"  {label:<18} {grow:<12} {small:>3} / {large:<3}{flag}")
    assert all(small == large for _, _, small, large in rows)
