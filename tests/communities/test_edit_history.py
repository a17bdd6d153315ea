"""Moderators read every earlier version of a thread and its replies on one page."""

import pytest

from communities.discussions.services.posts import edit_post
from communities.discussions.services.threads import edit_thread
from tests.communities.factories import Cast, make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["moderator", "manager", "staff"])
def test_moderators_read_earlier_versions_of_the_thread_and_its_replies(client, settings, who):
    cast = Cast()
    thread = make_thread(
        author=cast.member, community=cast.community, title="Draft title", body="Draft body"
    )
    post = make_reply(author=cast.other_member, thread=thread, body="Hasty reply")
    edit_thread(actor=cast.member, thread=thread, title="Final title", body="Final", tag_names=[])
    edit_post(actor=cast.other_member, post=post, body="Considered reply")
    client.force_login(getattr(cast, who))
    base = f"/c/{cast.community.slug}/t/{thread.pk}/"
    assert 'href="' + base + 'history/"' in client.get(base).content.decode()
    history = client.get(base + "history/").content.decode()
    assert "Draft title" in history
    assert "Draft body" in history
    assert "Hasty reply" in history
    assert f'href="{base}#post-{post.pk}"' in history  # which reply was edited
    client.force_login(cast.member)
    assert "history/" not in client.get(base).content.decode()
    assert client.get(base + "history/").status_code == 404
