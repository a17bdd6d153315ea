"""A thread as a row of a list (the thread list, the community page, search, a tag's page,
the member's home), written in Python: as a template included per row it was half of a list
page's CPU (three includes and a dozen lookups per row, twenty rows a page).

Every text a person chose (titles, names, tags) goes through `escape`; URLs are reversed
once per community (`remembered_reverse`) and escaped; numbers are numbers.
"""

from urllib.parse import quote

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from communities.core.links import remembered_reverse
from communities.discussions.views.thread_page import (
    ID_STAND_IN,
    ago,
    author_html,
    escape,
    profile_url,
)


def thread_row(thread, *, show_community: bool = False) -> SafeString:
    """One `<li class="thread-row">`: counts, whether it is new to the viewer (`is_unread`),
    kind, status, circle, locked and hidden marks, its community (with `show_community`),
    title, the author as `shown_author` gives it, age, edited mark and tags."""
    community = thread.community
    replies, votes = thread.reply_count, thread.total_votes
    meta = []
    if getattr(thread, "is_unread", False):
        meta.append('<span class="new-badge" title="New since your last visit">new</span>')
    meta.append(f'<span class="badge">{escape(thread.get_kind_display())}</span>')
    meta.append(status_html(getattr(thread, "status", "")))
    if thread.circle_id is not None:
        meta.append(f'<span class="tag">circle: {escape(thread.circle.name)}</span>')
    if thread.is_locked:
        meta.append('<span class="tag">locked</span>')
    if thread.is_hidden:
        meta.append('<span class="tag">hidden</span>')
    if show_community:
        meta.append(f'<span class="muted">in {escape(community.name)}</span>')
    author = author_link(
        getattr(thread, "shown_author", None),
        anonymous=thread.is_anonymous,
        asker_id=thread.author_id,
    )
    created = thread.created_at
    tag_list = escape(remembered_reverse("communities:thread-list", args=[community.slug]))
    tags = "".join(
        f'<a class="tag" href="{tag_list}?tag={escape(quote(tag.name))}">{escape(tag.name)}</a>'
        for tag in thread.tags.all()
    )
    marks = " ".join(part for part in meta if part)
    return mark_safe(  # noqa: S308 (every part escaped above)
        f'<li class="thread-row" id="thread-{thread.pk}">'
        f'<div class="thread-row__counts" aria-label="{replies} replies, {votes} votes">'
        f"<span><strong>{replies}</strong> repl{'y' if replies == 1 else 'ies'}</span> "
        f'<span class="muted">{votes} vote{"" if votes == 1 else "s"}</span></div>'
        f'<div class="thread-row__main"><p class="thread-row__meta">{marks}</p>'
        f'<h3 class="thread-row__title"><a href="{_thread_url(community.slug, thread.pk)}">'
        f"{escape(thread.title)}</a></h3>"
        f'<p class="muted">{author} · <time datetime="'
        f'{escape(timezone.localtime(created).isoformat())}">'
        f"{ago(created, timezone.now())} ago</time>"
        f"{' · edited' if thread.edited_at else ''} {tags}</p></div></li>"
    )


def author_link(who, *, anonymous: bool, asker_id: int | None = None) -> str:
    """`who` (a `shown_author`, or None) as the one way a page names an author: a link to
    their profile, "Anonymous member" or "Former member"."""
    return author_html(
        who,
        anonymous=anonymous,
        asker_id=asker_id,
        profile_url=profile_url(who) if who is not None else "",
    )


def status_html(status: str) -> str:
    """A question's status mark ("" for other threads)."""
    if not status:
        return ""
    label = {"accepted": "✓ Accepted", "answered": "Answered"}.get(status, "Unanswered")
    return f'<span class="status status--{escape(status)}">{label}</span>'


def _thread_url(slug: str, pk: int) -> str:
    url = remembered_reverse("communities:thread-detail", args=[slug, ID_STAND_IN])
    return escape(url.replace(str(ID_STAND_IN), str(pk)))
