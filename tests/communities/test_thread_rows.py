"""The thread page's replies are written in Python (`thread_page.render_rows`), not by a
template loop: everything a person typed is escaped there too, and each reply keeps its
controls."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.timesince import timesince

from communities.discussions.services.threads import accept_answer
from communities.discussions.views.thread_page import ago
from tests.communities.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_names_are_escaped_and_each_reply_keeps_its_controls(client, cast):
    cast.other_member.display_name = '<img src=x onerror="alert(1)">Eve'
    cast.other_member.save(update_fields=["display_name"])
    thread = make_thread(author=cast.member, community=cast.community)
    answer = make_reply(
        author=cast.other_member, thread=thread, body="Try <script>alert(2)</script> *now*"
    )
    make_reply(author=cast.member, thread=thread, body="Thanks!", parent=answer)
    other = make_reply(author=cast.champion, thread=thread, body="Or that.")
    accept_answer(actor=cast.member, thread=thread, post=answer)
    client.force_login(cast.member)
    html = client.get(f"/c/{cast.community.slug}/t/{thread.pk}/").content.decode()
    assert '<img src=x onerror="alert(1)">' not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Eve" in html
    assert "<em>now</em>" in html
    assert "alert(2)</script>" not in html
    assert f'id="post-{answer.pk}"' in html
    assert "post--accepted" in html
    assert html.count('class="post post--nested"') == 1
    assert f'name="post" value="{other.pk}"' in html  # "Accept this answer" on the other one
    assert html.count('<details class="post__reply">') == 2
    assert f"/p/{answer.pk}/flag/" in html  # someone else's reply: Flag
    assert html.count("/edit/") >= 1  # the asker's own nested reply: Edit


def test_anonymous_visitors_see_counts_without_forms(client, cast):
    thread = make_thread(author=cast.member, community=cast.community)
    make_reply(author=cast.other_member, thread=thread, body="An answer.")
    html = client.get(f"/c/{cast.community.slug}/t/{thread.pk}/").content.decode()
    assert '<span class="muted">▲ 0</span>' in html
    assert "csrfmiddlewaretoken" not in html


def test_an_anonymous_askers_own_reply_names_nobody_and_is_markup_not_text(client, cast):
    """Their reply reads "Anonymous member" as the page's own markup (it once showed the
    escaped tags as text), and only the asker sees their name on it."""
    thread = make_thread(author=cast.member, community=cast.community, is_anonymous=True)
    own = make_reply(author=cast.member, thread=thread, body="Following up on my own question.")
    url = f"/c/{cast.community.slug}/t/{thread.pk}/"
    name = cast.member.public_name
    for who in ("other_member", "moderator", "staff"):
        client.force_login(getattr(cast, who))
        html = client.get(url).content.decode()
        row = html[html.index(f'id="post-{own.pk}"') :]
        row = row[: row.index("</article>")]
        assert '<span class="author author--anonymous">Anonymous member</span>' in row, who
        assert "&lt;span" not in html, who
        assert name not in row, who
    client.logout()
    assert "&lt;span" not in client.get(url).content.decode()
    client.force_login(cast.member)
    html = client.get(url).content.decode()
    row = html[html.index(f'id="post-{own.pk}"') :]
    assert name in row[: row.index("</article>")]
    assert "(you; everyone else sees “Anonymous member”)" in row


def test_rows_escape_what_people_typed_and_keep_links_whole(client, cast):
    cast.champion.display_name = 'Tom & "Jerry" <b>\'s</b>'
    cast.champion.save(update_fields=["display_name"])
    thread = make_thread(author=cast.member, community=cast.community)
    answer = make_reply(author=cast.champion, thread=thread, body="Plain <b>words</b> & more")
    client.force_login(cast.member)
    html = client.get(f"/c/{cast.community.slug}/t/{thread.pk}/").content.decode()
    assert "Tom &amp; &quot;Jerry&quot; &lt;b&gt;&#x27;s&lt;/b&gt;" in html
    assert "<b>'s</b>" not in html
    assert f'href="/people/{cast.champion.username}/"' in html
    assert f'action="/c/{cast.community.slug}/t/{thread.pk}/p/{answer.pk}/vote/"' in html


@pytest.mark.parametrize(
    "seconds",
    [-90, 0, 0.5, 59.9, 60, 61, 3599, 3600, 3661, 86399, 86400, 90061, 604800, 694861, 2419199,
     2419200, 2678400, 40000000],
)  # fmt: skip
def test_the_remembered_ago_says_what_timesince_says(seconds):
    now = timezone.now()
    moment = now - timedelta(seconds=seconds)
    assert ago(moment, now) == escape(timesince(moment, now))
    with translation.override("de"):
        assert ago(moment, now) == escape(timesince(moment, now))
