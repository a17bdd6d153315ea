"""The moderation queue comes 50 items a page, the longest waiting first, every flag of an
item on the same page as the item."""

import pytest

from communities.moderation.selectors import QUEUE_PAGE_SIZE
from tests.communities.factories import Cast, flag, make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_the_queue_is_paged_by_item(client, settings):
    settings.TRELLIS_NEW_MEMBER_POSTS = 0
    cast = Cast()
    cast.community.flag_hide_threshold = 1000
    cast.community.save(update_fields=["flag_hide_threshold"])
    thread = make_thread(author=cast.member, community=cast.community)
    posts = [
        make_reply(author=cast.other_member, thread=thread, body=f"reply {n}")
        for n in range(QUEUE_PAGE_SIZE + 3)
    ]
    for post in posts:
        flag(cast.member, thread, post)
    flag(cast.champion, thread, posts[0], reason="disrespectful")
    client.force_login(cast.moderator)
    url = f"/c/{cast.community.slug}/moderation/"

    first = client.get(url).content.decode()
    assert first.count('class="card moderation-item"') == QUEUE_PAGE_SIZE
    assert first.index(f"reply {0}<") < first.index(f"reply {1}<")
    assert first.count("from <a") >= QUEUE_PAGE_SIZE + 1  # both flags of the first item
    assert 'href="?page=2"' in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('class="card moderation-item"') == 3
    assert f"reply {QUEUE_PAGE_SIZE + 2}<" in second
