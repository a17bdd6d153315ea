"""Bodies are rendered once, when written: the stored HTML is what pages show, it always equals
a fresh rendering of the source, and `rerender_markdown` brings old rows up to new rules."""

import pytest
from django.core.management import call_command

from communities.core.markdown import render_markdown
from communities.discussions.services.posts import edit_post
from communities.discussions.services.threads import edit_thread
from communities.models import Post, Thread
from tests.communities.factories import Cast, make_reply, make_thread

pytestmark = pytest.mark.django_db

SOURCE = "Try **this**: [a link](https://example.org) <script>alert(1)</script>\n\n- one\n- two"


@pytest.fixture
def cast():
    return Cast()


def _fresh(model, pk) -> tuple[str, str]:
    row = model.objects.get(pk=pk)
    return row.body_html, str(render_markdown(row.body))


def test_services_store_the_rendered_body_and_keep_it_current(cast):
    thread = make_thread(author=cast.member, community=cast.community, body=SOURCE)
    post = make_reply(author=cast.other_member, thread=thread, body=SOURCE)
    stored, fresh = _fresh(Thread, thread.pk)
    assert stored == fresh
    assert "<strong>this</strong>" in stored
    assert "<script>" not in stored
    assert _fresh(Post, post.pk)[0] == _fresh(Post, post.pk)[1]

    edit_thread(
        actor=cast.member, thread=thread, title=thread.title, body="Now *new*", tag_names=[]
    )
    edit_post(actor=cast.other_member, post=post, body="Reply `code`")
    assert _fresh(Thread, thread.pk) == (str(render_markdown("Now *new*")),) * 2
    assert _fresh(Post, post.pk) == (str(render_markdown("Reply `code`")),) * 2


def test_the_thread_page_shows_the_stored_html(client, cast):
    thread = make_thread(author=cast.member, community=cast.community, body="Plain words")
    post = make_reply(author=cast.other_member, thread=thread, body="Plain reply")
    Thread.objects.filter(pk=thread.pk).update(body_html="<p>stored thread html</p>")
    Post.objects.filter(pk=post.pk).update(body_html="<p>stored reply html</p>")
    page = client.get(f"/c/{cast.community.slug}/t/{thread.pk}/").content.decode()
    assert "stored thread html" in page
    assert "stored reply html" in page
    assert "Plain reply" not in page


def test_rerender_markdown_renders_every_stale_row_again(cast):
    thread = make_thread(author=cast.member, community=cast.community, body=SOURCE)
    posts = [make_reply(author=cast.other_member, thread=thread, body=f"**{n}**") for n in range(3)]
    Thread.objects.update(body_html="old rules")
    Post.objects.filter(pk=posts[1].pk).update(body_html="old rules")
    call_command("rerender_markdown", "--batch-size", "2")
    for model, pk in [(Thread, thread.pk)] + [(Post, post.pk) for post in posts]:
        stored, fresh = _fresh(model, pk)
        assert stored == fresh
