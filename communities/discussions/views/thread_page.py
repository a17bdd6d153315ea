"""What the thread page needs per reply, prepared once per page instead of per reply.

Links are formatted from one reverse() per kind (a page of 30 answers would otherwise reverse
about seven URLs per reply while rendering), answers with their nested replies come as one
flat list of rows, and `render_rows` writes those rows' HTML in Python (the template engine
took about half of the page's CPU on them).
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

# Reversed with these stand-ins, then formatted per reply: a URL has no other digits run like it.
_POST = 987654321
_USER = "trellis-username-placeholder"


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
        args = [community.slug, thread.pk, _POST]
        self._post_templates = {
            "vote": reverse("communities:post-vote", args=args),
            "thank": reverse("communities:post-thank", args=args),
            "edit": reverse("communities:post-edit", args=args),
            "flag": reverse("communities:post-flag", args=args),
            "moderate": reverse("communities:moderation-post", args=args),
        }
        self._profile = reverse("communities:profile-detail", args=[_USER])

    def for_post(self, post) -> PostLinks:
        pk = str(post.pk)
        return PostLinks(
            **{
                name: template.replace(str(_POST), pk)
                for name, template in self._post_templates.items()
            }
        )

    def profile(self, user) -> str:
        return self._profile.replace(_USER, quote(user.username, safe="@+.-_~"))


def answer_rows(community, thread, answers) -> list:
    """The answers and their nested replies in display order, each with `links`,
    `profile_url`, `nested`, `opens_children`, `closes_children` and `closes_answer` (the
    answer whose article ends after this row, or None)."""
    links = ThreadLinks(community, thread)
    rows = []
    for answer in answers:
        children = list(answer.children.all())
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
    """`links` for one reply rendered alone (the reactions fragment)."""
    post.links = ThreadLinks(community, thread).for_post(post)


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


def render_rows(rows: list, page: RowContext) -> SafeString:
    """The rows of `answer_rows` as HTML. Written here rather than in the template: the
    template engine spent about half of the page's CPU on these thirty-odd rows. Every value
    goes through format_html (escaped); the stored body_html is sanitised at write time."""
    return mark_safe("".join(_row(post, page) for post in rows))  # noqa: S308


def _row(post, page: RowContext) -> str:
    parts = []
    if post.opens_children:
        parts.append('<div class="post__children">')
    if getattr(post, "is_placeholder", False):
        return "".join(parts) + _placeholder(post) + _closing(post, page)
    classes = "post" + "".join(
        name
        for flag, name in (
            (post.is_accepted, " post--accepted"),
            (post.is_verified, " post--verified"),
            (post.is_hidden, " post--hidden"),
            (post.nested, " post--nested"),
        )
        if flag
    )
    parts.append(format_html('<article class="{}" id="post-{}">', classes, post.pk))
    parts.append(format_html('<header class="post__header">{}', _author(post, page.thread)))
    parts.append(
        format_html(
            '<span class="muted">· <time datetime="{}">{} ago</time>{}</span>',
            timezone.localtime(post.created_at).isoformat(),
            timesince(post.created_at),
            format_html(
                ' · <span class="edited" title="{}">edited</span>',
                dateformat.format(timezone.localtime(post.edited_at), "j M Y H:i"),
            )
            if post.edited_at
            else "",
        )
    )
    if post.is_accepted:
        parts.append('<span class="status status--accepted">✓ Accepted answer</span>')
    if post.is_verified:
        parts.append('<span class="status status--verified">★ Verified answer</span>')
    if post.is_hidden:
        parts.append('<span class="tag">hidden by moderators</span>')
    parts.append("</header>")
    parts.append(format_html('<div class="prose post__body">{}</div>', mark_safe(post.body_html)))  # noqa: S308
    parts.append('<footer class="post__footer">')
    parts.append(_reactions(post, page))
    if not post.nested and not post.is_hidden:
        for may, done, url, label in (
            (page.may_accept, post.is_accepted, page.accept_url, "Accept this answer"),
            (page.may_verify, post.is_verified, page.verify_url, "Mark as verified"),
        ):
            if may and not done:
                parts.append(
                    format_html(
                        '<form method="post" action="{}">{}<input type="hidden" name="post" '
                        'value="{}"><button class="button button--quiet" type="submit">{}'
                        "</button></form>",
                        url,
                        page.csrf_input,
                        post.pk,
                        label,
                    )
                )
    for may, url, label in (
        (post.may_edit, post.links.edit, "Edit"),
        (post.may_flag, post.links.flag, "Flag"),
        (page.may_moderate, post.links.moderate, "Moderate"),
    ):
        if may:
            parts.append(
                format_html('<a class="button button--quiet" href="{}">{}</a>', url, label)
            )
    parts.append("</footer>")
    return "".join(parts) + _closing(post, page)


def _closing(post, page: RowContext) -> str:
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
            parts.append(
                format_html(
                    '<details class="post__reply"><summary>Reply to this answer</summary>'
                    '<form method="post" action="{}">{}<input type="hidden" name="parent" '
                    'value="{}"><label for="reply-{}">Your reply</label>'
                    '<textarea id="reply-{}" name="body" rows="3"></textarea>'
                    '<button type="submit">Post reply</button></form></details>',
                    page.thread_url,
                    page.csrf_input,
                    answer.pk,
                    answer.pk,
                    answer.pk,
                )
            )
        parts.append("</article>")
    return "".join(parts)


def _placeholder(post) -> str:
    """Where a hidden reply was, for people who may not see hidden content: nothing of its
    text or author, so the replies around it still read."""
    return format_html(
        '<article class="post post--hidden post--placeholder{}" id="post-{}">'
        '<p class="muted">This reply was hidden by a moderator.</p>',
        " post--nested" if post.nested else "",
        post.pk,
    )


def _author(post, thread) -> str:
    """The name to show (see `shown_author`): a link, "Anonymous member" or "Former member"."""
    who = getattr(post, "shown_author", None)
    if who is not None:
        note = (
            ' <span class="muted">(you; everyone else sees “Anonymous member”)</span>'
            if thread.is_anonymous and who.pk == thread.author_id
            else ""
        )
        return format_html(
            '<a class="author" href="{}">{}</a>{}',
            post.profile_url,
            who.public_name,
            mark_safe(note),  # noqa: S308
        )
    if thread.is_anonymous:
        return '<span class="author author--anonymous">Anonymous member</span>'
    return '<span class="author muted">Former member</span>'


def _reactions(post, page: RowContext) -> str:
    """The same markup as components/post_reactions.html (the fragment htmx swaps in)."""
    if not page.signed_in:
        return format_html('<span class="muted">▲ {}</span>', post.vote_count)
    if post.has_voted:
        vote = format_html(
            '<input type="hidden" name="action" value="undo"><button class="button '
            'button--quiet is-on" type="submit" aria-pressed="true">▲ {} · Undo vote</button>',
            post.vote_count,
        )
    else:
        vote = format_html(
            '<button class="button button--quiet" type="submit" aria-pressed="false">'
            "▲ {} · Vote up</button>",
            post.vote_count,
        )
    form = (
        '<form method="post" action="{}" hx-post="{}" hx-target="#reactions-{}" '
        'hx-swap="outerHTML">{}{}</form>'
    )
    thank = format_html(
        '<button class="button button--quiet" type="submit"{}>{} · {}</button>',
        " disabled" if post.has_thanked else "",
        "Thanked" if post.has_thanked else "Say thanks",
        post.thanks_count,
    )
    return format_html(
        '<div class="post-reactions" id="reactions-{}">{}{}</div>',
        post.pk,
        format_html(form, post.links.vote, post.links.vote, post.pk, page.csrf_input, vote),
        format_html(form, post.links.thank, post.links.thank, post.pk, page.csrf_input, thank),
    )
