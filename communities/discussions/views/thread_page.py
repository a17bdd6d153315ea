"""What the thread page needs per reply, prepared once per page instead of per reply.

Links are formatted from one reverse() per kind (a page of 30 answers would otherwise reverse
about seven URLs per reply while rendering), answers with their nested replies come as one
flat list of rows, and `render_rows` writes those rows' HTML in Python (the template engine
took about half of the page's CPU on them).
"""

import datetime
import html
from dataclasses import dataclass
from functools import lru_cache

from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import get_language

from communities.core.links import remembered_reverse

# URLs are reversed with this stand-in for an id, then formatted per row: a URL has no other
# digits run like it.
ID_STAND_IN = 987654321


def escape(text) -> str:
    """HTML-escaped `text`: the same five characters as django.utils.html.escape, without its
    lazy-string wrapper (called a few times per reply)."""
    return html.escape(str(text), quote=True)


# Under four weeks no month or year boundary counts, so timesince() says the same for the same
# number of whole minutes.
_UNDER_A_MONTH = 28 * 24 * 60 * 60
_SOME_MIDNIGHT = datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC)


def ago(moment: datetime.datetime, now: datetime.datetime) -> str:
    """`timesince(moment, now)`, escaped; remembered per whole minute under four weeks (a page
    of thirty replies asked gettext a hundred times a request)."""
    seconds = (now - moment).total_seconds()
    if 0 < seconds < _UNDER_A_MONTH:
        return _ago_in_minutes(int(seconds // 60), get_language())
    return escape(timesince(moment, now))


@lru_cache(maxsize=8192)
def _ago_in_minutes(minutes: int, language: str | None) -> str:
    return escape(timesince(_SOME_MIDNIGHT, _SOME_MIDNIGHT + datetime.timedelta(minutes=minutes)))


@dataclass(frozen=True)
class PostLinks:
    vote: str
    thank: str
    edit: str
    flag: str
    moderate: str


class ThreadLinks:
    """`links.for_post(post)` and `links.profile(user)` for one thread, without reverse()."""

    def __init__(self, community, thread) -> None:
        args = [community.slug, thread.pk, ID_STAND_IN]
        # Escaped once here, so the rows may put them in attributes as they are.
        self._post_templates = {
            "vote": escape(remembered_reverse("communities:post-vote", args=args)),
            "thank": escape(remembered_reverse("communities:post-thank", args=args)),
            "edit": escape(remembered_reverse("communities:post-edit", args=args)),
            "flag": escape(remembered_reverse("communities:post-flag", args=args)),
            "moderate": escape(remembered_reverse("communities:moderation-post", args=args)),
        }

    def for_post(self, post) -> PostLinks:
        pk = str(post.pk)
        return PostLinks(
            **{
                name: template.replace(str(ID_STAND_IN), pk)
                for name, template in self._post_templates.items()
            }
        )

    def profile(self, user) -> str:
        return profile_url(user)


def profile_url(user) -> str:
    """`user`'s profile page, escaped for an attribute (remembered per username)."""
    return escape(remembered_reverse("communities:profile-detail", args=[user.username]))


def answer_rows(community, thread, answers) -> list:
    """The answers and their nested replies in display order, each with `links`,
    `profile_url`, `nested`, `opens_children`, `closes_children` and `closes_answer` (the
    answer whose article ends after this row, or None)."""
    links = ThreadLinks(community, thread)
    rows = []
    for answer in answers:
        children = answer.replies
        _attach(links, answer, nested=False)
        answer.closes_answer = None if children else answer
        rows.append(answer)
        for n, child in enumerate(children):
            _attach(links, child, nested=True)
            child.opens_children = n == 0
            child.closes_children = n == len(children) - 1
            child.closes_answer = answer if child.closes_children else None
            rows.append(child)
    return rows


def attach_post_links(community, thread, post) -> None:
    """`links` for one reply rendered alone (the reactions fragment): already escaped, so
    marked safe for the template."""
    links = ThreadLinks(community, thread).for_post(post)
    post.links = PostLinks(**{name: mark_safe(url) for name, url in vars(links).items()})  # noqa: S308


def _attach(links: ThreadLinks, post, *, nested: bool) -> None:
    post.links = links.for_post(post)
    who = getattr(post, "shown_author", None)
    post.profile_url = links.profile(who) if who is not None else ""
    post.nested = nested
    post.opens_children = post.closes_children = False


@dataclass(frozen=True)
class RowContext:
    """What every row of one page shares (the viewer's powers on the thread, its URLs)."""

    thread: object
    signed_in: bool
    csrf_input: object  # SafeString, or a lazy one
    thread_url: str
    accept_url: str
    verify_url: str
    may_accept: bool
    may_verify: bool
    may_moderate: bool
    may_reply: bool


class _Page:
    """A RowContext made ready for string building: its HTML pieces escaped once per page,
    the token masked once, one `now` for every "ago"."""

    def __init__(self, page: RowContext) -> None:
        self.thread = page.thread
        self.signed_in = page.signed_in
        # Every form of the rows is for signed-in visitors only.
        self.csrf = str(page.csrf_input) if page.signed_in else ""
        self.thread_url = escape(page.thread_url)
        self.accept_url = escape(page.accept_url)
        self.verify_url = escape(page.verify_url)
        self.may_accept = page.may_accept
        self.may_verify = page.may_verify
        self.may_moderate = page.may_moderate
        self.may_reply = page.may_reply
        self.now = timezone.now()


def render_rows(rows: list, page: RowContext) -> SafeString:
    """The rows of `answer_rows` as HTML. Written here rather than in the template: the
    template engine spent about half of the page's CPU on these thirty-odd rows. Strings are
    joined rather than passed through format_html (a third of the page's CPU, most of it
    spent escaping numbers and markup already safe): every text a person chose (names) goes
    through `escape`, URLs are escaped once per page, numbers are numbers and the stored
    body_html is sanitised at write time."""
    ready = _Page(page)
    return mark_safe("".join([_row(post, ready) for post in rows]))  # noqa: S308


def _row(post, page: _Page) -> str:
    parts = []
    if post.opens_children:
        parts.append('<div class="post__children">')
    if getattr(post, "is_placeholder", False):
        parts.append(_placeholder(post))
        parts.append(_closing(post, page))
        return "".join(parts)
    pk = str(post.pk)
    classes = "post"
    if post.is_accepted:
        classes += " post--accepted"
    if post.is_verified:
        classes += " post--verified"
    if post.is_hidden:
        classes += " post--hidden"
    if post.nested:
        classes += " post--nested"
    edited = ""
    if post.edited_at:
        edited = (
            ' · <span class="edited" title="'
            + escape(dateformat.format(timezone.localtime(post.edited_at), "j M Y H:i"))
            + '">edited</span>'
        )
    parts.append(
        f'<article class="{classes}" id="post-{pk}"><header class="post__header">'
        f"{_author(post, page.thread)}"
        '<span class="muted">· <time datetime="'
        f'{escape(timezone.localtime(post.created_at).isoformat())}">'
        f"{ago(post.created_at, page.now)} ago</time>{edited}</span>"
    )
    if post.is_accepted:
        parts.append('<span class="status status--accepted">✓ Accepted answer</span>')
    if post.is_verified:
        parts.append('<span class="status status--verified">★ Verified answer</span>')
    if post.is_hidden:
        parts.append('<span class="tag">hidden by moderators</span>')
    parts.append('</header><div class="prose post__body">')
    parts.append(post.body_html)  # sanitised when it was stored
    parts.append('</div><footer class="post__footer">')
    parts.append(_reactions(post, page))
    if not post.nested and not post.is_hidden:
        for may, done, url, label in (
            (page.may_accept, post.is_accepted, page.accept_url, "Accept this answer"),
            (page.may_verify, post.is_verified, page.verify_url, "Mark as verified"),
        ):
            if may and not done:
                parts.append(
                    f'<form method="post" action="{url}">{page.csrf}<input type="hidden" '
                    f'name="post" value="{pk}"><button class="button button--quiet" '
                    f'type="submit">{label}</button></form>'
                )
    links = post.links
    for may, url, label in (
        (post.may_edit, links.edit, "Edit"),
        (post.may_flag, links.flag, "Flag"),
        (page.may_moderate, links.moderate, "Moderate"),
    ):
        if may:
            parts.append(f'<a class="button button--quiet" href="{url}">{label}</a>')
    parts.append("</footer>")
    parts.append(_closing(post, page))
    return "".join(parts)


def _closing(post, page: _Page) -> str:
    """What ends after `post`: its own article when nested, its siblings' block, and the
    answer it closes (with that answer's reply form)."""
    parts = []
    if post.nested:
        parts.append("</article>")
    if post.closes_children:
        parts.append("</div>")
    answer = post.closes_answer
    if answer is not None:
        if page.may_reply and not answer.is_hidden:
            pk = str(answer.pk)
            parts.append(
                '<details class="post__reply"><summary>Reply to this answer</summary>'
                f'<form method="post" action="{page.thread_url}">{page.csrf}'
                f'<input type="hidden" name="parent" value="{pk}"><label for="reply-{pk}">'
                f'Your reply</label><textarea id="reply-{pk}" name="body" rows="3"></textarea>'
                '<button type="submit">Post reply</button></form></details>'
            )
        parts.append("</article>")
    return "".join(parts)


def _placeholder(post) -> str:
    """Where a hidden reply was, for people who may not see hidden content: nothing of its
    text or author, so the replies around it still read."""
    nested = " post--nested" if post.nested else ""
    return (
        f'<article class="post post--hidden post--placeholder{nested}" id="post-{post.pk}">'
        '<p class="muted">This reply was hidden by a moderator.</p>'
    )


_ASKER_NOTE = ' <span class="muted">(you; everyone else sees “Anonymous member”)</span>'


def _author(post, thread) -> str:
    return author_html(
        getattr(post, "shown_author", None),
        anonymous=thread.is_anonymous,
        asker_id=thread.author_id,
        profile_url=post.profile_url,
    )


def author_html(who, *, anonymous: bool, asker_id: int | None, profile_url: str) -> str:
    """The name to show (`who`, a `shown_author`): a link to `profile_url` (escaped),
    "Anonymous member" or "Former member"; the asker of an anonymous question is told so."""
    if who is not None:
        note = _ASKER_NOTE if anonymous and who.pk == asker_id else ""
        return f'<a class="author" href="{profile_url}">{escape(who.public_name)}</a>{note}'
    if anonymous:
        return '<span class="author author--anonymous">Anonymous member</span>'
    return '<span class="author muted">Former member</span>'


def _reactions(post, page: _Page) -> str:
    """The same markup as components/post_reactions.html (the fragment htmx swaps in)."""
    votes = int(post.vote_count)
    if not page.signed_in:
        return f'<span class="muted">▲ {votes}</span>'
    if post.has_voted:
        vote = (
            '<input type="hidden" name="action" value="undo"><button class="button '
            f'button--quiet is-on" type="submit" aria-pressed="true">▲ {votes} · Undo vote'
            "</button>"
        )
    else:
        vote = (
            '<button class="button button--quiet" type="submit" aria-pressed="false">'
            f"▲ {votes} · Vote up</button>"
        )
    thanked = post.has_thanked
    thank = (
        f'<button class="button button--quiet" type="submit"{" disabled" if thanked else ""}>'
        f"{'Thanked' if thanked else 'Say thanks'} · {int(post.thanks_count)}</button>"
    )
    pk = post.pk
    links = post.links
    return (
        f'<div class="post-reactions" id="reactions-{pk}">'
        f'<form method="post" action="{links.vote}" hx-post="{links.vote}" '
        f'hx-target="#reactions-{pk}" hx-swap="outerHTML">{page.csrf}{vote}</form>'
        f'<form method="post" action="{links.thank}" hx-post="{links.thank}" '
        f'hx-target="#reactions-{pk}" hx-swap="outerHTML">{page.csrf}{thank}</form></div>'
    )
