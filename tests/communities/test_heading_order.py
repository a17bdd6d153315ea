"""Lists keep their headings in order (no level skipped), so screen reader users can move
through a page by its headings."""

import itertools
import re

import pytest

from tests.communities.factories import make_thread

pytestmark = pytest.mark.django_db


def _levels(html: str) -> list[int]:
    main = html[html.index('<main id="main"') :]
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", main)]


def _in_order(levels: list[int]) -> bool:
    return levels[:1] == [1] and all(b <= a + 1 for a, b in itertools.pairwise(levels))


@pytest.mark.parametrize(
    "url",
    ["/c/{slug}/t/", "/search/?q=retrospective", "/", "/c/", "/c/{slug}/", "/tags/facilitation/"],
)
def test_list_pages_never_skip_a_heading_level(client, cast, url):
    make_thread(author=cast.member, community=cast.community)
    client.force_login(cast.member)
    html = client.get(url.format(slug=cast.community.slug)).content.decode()
    assert _in_order(_levels(html)), _levels(html)
