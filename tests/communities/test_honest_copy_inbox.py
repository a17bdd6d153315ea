"""Honest copy: flag weights explained where they are shown, an empty preview that does not
look like an input, and "thread" rather than "conversation" in the digest and the knowledge
base."""

import re

import pytest

from knowledge.blocks import ExcerptBlock
from tests.communities.factories import Cast, flag, make_thread

pytestmark = pytest.mark.django_db

WEIGHTS = (
    "A flag's weight is how much it counts: 3 from a moderator or manager, 0.5 from a new "
    "member, and from anyone else 1 plus the share of their earlier flags that moderators "
    "upheld (up to 2); when the open flags on a thread or reply add up to {threshold}, it is "
    "hidden until a moderator reviews it."
)


def test_the_queue_explains_weights_beside_them(client, settings):
    settings.TRELLIS_NEW_MEMBER_POSTS = 0
    cast = Cast()
    cast.community.flag_hide_threshold = 4.5
    cast.community.save(update_fields=["flag_hide_threshold"])
    thread = make_thread(author=cast.member, community=cast.community)
    flag(cast.other_member, thread)
    client.force_login(cast.moderator)
    page = client.get(f"/c/{cast.community.slug}/moderation/").content.decode()
    assert re.search(r"1 flag · weight [\d.]+ of 4.5<", page)
    assert WEIGHTS.format(threshold="4.5") in page.replace("&#x27;", "'")
    one = client.get(f"/c/{cast.community.slug}/moderation/t/{thread.pk}/").content.decode()
    assert WEIGHTS.format(threshold="4.5") in one.replace("&#x27;", "'")


def test_the_flag_form_says_what_a_flag_weighs(client):
    cast = Cast()
    thread = make_thread(author=cast.member, community=cast.community)
    client.force_login(cast.other_member)
    page = client.get(f"/c/{cast.community.slug}/t/{thread.pk}/flag/").content.decode()
    assert WEIGHTS.format(threshold="3") in page.replace("&#x27;", "'")


def test_the_threshold_field_says_what_it_adds_up(client):
    cast = Cast()
    client.force_login(cast.manager)
    page = client.get(f"/c/{cast.community.slug}/edit/").content.decode()
    assert "when the weights of its open flags add up to this" in page


def test_an_empty_preview_is_quiet_words_not_a_box(client):
    cast = Cast()
    client.force_login(cast.member)
    form = client.get(f"/c/{cast.community.slug}/t/new/").content.decode()
    out = form.split('class="markdown-preview__out"', 1)
    assert len(out) == 2, "the preview has no card (input-like) class"
    assert "Nothing to preview yet." in out[1].split("</div>", 1)[0]
    for body in ("", "   \n "):
        html = client.post("/preview/markdown/", {"body": body}).content.decode()
        assert "Nothing to preview yet." in html
        assert "markdown-preview__body" not in html
    html = client.post("/preview/markdown/", {"body": "**bold**"}).content.decode()
    assert "<strong>bold</strong>" in html
    assert "Nothing to preview yet." not in html


def test_the_knowledge_excerpt_is_from_the_thread():
    assert ExcerptBlock().meta.label == "From the thread"
