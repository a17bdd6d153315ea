"""A thread's row in lists (`thread_rows.thread_row`, `{% thread_row %}`): everything a row
shows, every text a person chose escaped, and the author only as `shown_author` allows."""

import pytest
from django.utils import timezone

from communities.discussions.selectors.threads import threads_in_order
from communities.discussions.services.visits import record_thread_visit
from communities.discussions.views.thread_rows import thread_row
from communities.models import Thread
from tests.communities.factories import (
    add_member,
    make_circle_of,
    make_reply,
    make_thread,
    new_community,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    community = new_community(name='Makers <&> "guild"')
    viewer = add_member(community)
    other = add_member(community)
    return community, viewer, other


def _row(viewer, thread, **options) -> str:
    (row,) = threads_in_order(viewer, [thread.pk])
    return str(thread_row(row, **options))


def test_a_row_links_the_thread_and_escapes_what_people_wrote(place):
    community, viewer, other = place
    thread = make_thread(
        author=other, community=community, title="<script>x</script> & 'q'", tag_names=["a-b"]
    )
    html = _row(viewer, thread, show_community=True)
    assert f'href="/c/{community.slug}/t/{thread.pk}/"' in html
    assert "&lt;script&gt;x&lt;/script&gt; &amp; &#x27;q&#x27;" in html
    assert "<script>" not in html
    assert "in Makers &lt;&amp;&gt; &quot;guild&quot;" in html
    assert f'<a class="tag" href="/c/{community.slug}/t/?tag=a-b">a-b</a>' in html
    assert f'href="/people/{other.username}/"' in html
    assert other.public_name in html


def test_the_community_is_named_only_when_asked(place):
    community, viewer, other = place
    thread = make_thread(author=other, community=community)
    assert "Makers" not in _row(viewer, thread)
    assert "Makers" in _row(viewer, thread, show_community=True)


def test_counts_are_written_in_words_that_agree(place):
    community, viewer, other = place
    one = make_thread(author=other, community=community, title="One")
    make_reply(author=viewer, thread=one)
    Thread.objects.filter(pk=one.pk).update(total_votes=1)
    many = make_thread(author=other, community=community, title="Many")
    for _ in range(2):
        make_reply(author=viewer, thread=many)
    Thread.objects.filter(pk=many.pk).update(total_votes=-3)
    html = _row(viewer, one)
    assert "<strong>1</strong> reply</span>" in html
    assert "1 vote</span>" in html
    html = _row(viewer, many)
    assert "<strong>2</strong> replies</span>" in html
    assert "-3 votes</span>" in html
    assert 'aria-label="2 replies, -3 votes"' in html


def test_marks_new_status_circle_locked_hidden_and_edited(place):
    community, viewer, other = place
    manager = community.memberships.get(role="manager").user
    circle = make_circle_of(community, viewer, other, name="Circle <b>")
    thread = make_thread(author=other, community=community, circle=circle)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True, edited_at=timezone.now())
    html = _row(viewer, thread)
    assert '<span class="new-badge"' in html  # never visited
    assert '<span class="status status--unanswered">Unanswered</span>' in html
    assert '<span class="tag">circle: Circle &lt;b&gt;</span>' in html
    assert '<span class="tag">locked</span>' in html
    assert " · edited" in html
    hidden = make_thread(author=other, community=community, title="Hidden")
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    assert '<span class="tag">hidden</span>' in _row(manager, hidden)  # only moderators see it
    plain = make_thread(author=other, community=community, kind="discussion", title="Plain")
    record_thread_visit(user=viewer, thread=plain)
    html = _row(viewer, plain)
    for mark in ("new-badge", "status--", "circle:", "locked", "hidden", "edited"):
        assert mark not in html


def test_an_anonymous_question_names_nobody_but_to_its_asker(place):
    community, viewer, other = place
    thread = make_thread(author=viewer, community=community, is_anonymous=True)
    assert "Anonymous member" in _row(other, thread)
    assert viewer.public_name not in _row(other, thread)
    assert viewer.username not in _row(other, thread)
    mine = _row(viewer, thread)
    assert viewer.public_name in mine
    assert "(you; everyone else sees “Anonymous member”)" in mine


def test_a_departed_author_is_a_former_member(place):
    community, viewer, other = place
    thread = make_thread(author=other, community=community)
    Thread.objects.filter(pk=thread.pk).update(author=None)
    assert '<span class="author muted">Former member</span>' in _row(viewer, thread)


def test_list_pages_show_rows_through_the_tag(client, place):
    community, viewer, other = place
    thread = make_thread(author=other, community=community, title="Rows <em>here</em>")
    client.force_login(viewer)
    for url in (f"/c/{community.slug}/t/", f"/c/{community.slug}/", "/search/?q=rows"):
        html = client.get(url).content.decode()
        assert f'<li class="thread-row" id="thread-{thread.pk}">' in html, url
        assert "Rows &lt;em&gt;here&lt;/em&gt;" in html, url
