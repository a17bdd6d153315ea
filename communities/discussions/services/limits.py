"""Posting limits for new members: their first days in a community, or before their first
few posts there. The thread and reply services call these inside their transaction."""

import re
from datetime import datetime, timedelta
from html.parser import HTMLParser

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.timesince import timeuntil

from communities.core.errors import RateLimited
from communities.core.models.communities import Community, Membership, MembershipStatus, Role
from communities.core.models.people import User
from communities.discussions.models.threads import Post, Thread
from communities.discussions.rendering import body_html

# Addresses written as plain text (not made into links by Markdown, but readers copy them):
# with a scheme, scheme-relative (//host.tld) or starting with www.
PLAIN_ADDRESS = re.compile(
    r"(?:\b[a-z][a-z0-9+.-]*://|(?<![\w/:])//(?=[\w-]+\.[\w-])|\bmailto:|\bwww\.)",
    re.IGNORECASE,
)
EXEMPT_ROLES = {Role.MODERATOR, Role.MANAGER, Role.CHAMPION}


class _LinkCounter(HTMLParser):
    """Counts the links of rendered HTML: every <a href>, and every plain address in text
    outside a link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.count = 0
        self._open_links = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open_links += 1
            if any(name == "href" and value for name, value in attrs):
                self.count += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open_links:
            self._open_links -= 1

    def handle_data(self, data: str) -> None:
        if not self._open_links:
            self.count += len(PLAIN_ADDRESS.findall(data))


def count_links(text: str) -> int:
    """Links in what `text` renders to, after the sanitiser: Markdown inline and reference
    links, raw HTML anchors and scheme-relative addresses all count, as the reader sees
    them, however the source spelt them."""
    counter = _LinkCounter()
    counter.feed(body_html(text or ""))
    counter.close()
    return counter.count


def posts_in_community(user: User, community: Community, *, up_to: int) -> int:
    """Threads and replies of `user` in `community`, counted no further than `up_to`: a
    prolific member's post costs the same as anyone's."""
    threads = Thread.objects.filter(author=user, community=community).order_by()[:up_to].count()
    if threads >= up_to:
        return threads
    replies = Post.objects.filter(author=user, thread__community=community).order_by()
    return threads + replies[: up_to - threads].count()


def is_new_member(user: User, community: Community, *, membership: Membership | None = None):
    """New during the first TRELLIS_NEW_MEMBER_DAYS after joining, or before their first
    TRELLIS_NEW_MEMBER_POSTS threads and replies there. Staff, champions, moderators and
    managers are never new."""
    if user.is_staff:
        return False
    if membership is None:
        membership = Membership.objects.filter(user=user, community=community).first()
    if membership is None:
        return True
    if membership.role in EXEMPT_ROLES:
        return False
    if membership.joined_at > timezone.now() - timedelta(days=settings.TRELLIS_NEW_MEMBER_DAYS):
        return True
    enough = settings.TRELLIS_NEW_MEMBER_POSTS
    return posts_in_community(user, community, up_to=enough) < enough


def _when(moment: datetime) -> str:
    return f"in {timeuntil(moment)} (at {moment:%H:%M} UTC)"


def _lock_membership(user: User, community: Community) -> Membership | None:
    # Holding the member's row serialises their own simultaneous posts, so two tabs
    # cannot both slip under a limit.
    return (
        Membership.objects.select_for_update()
        .filter(user=user, community=community, status=MembershipStatus.ACTIVE)
        .first()
    )


def check_links(*, author: User, community: Community, body: str) -> None:
    """Refuse a post of a new member that carries more links than allowed."""
    limit = settings.TRELLIS_NEW_MEMBER_MAX_LINKS
    links = count_links(body)
    if links <= limit or not is_new_member(author, community):
        return
    raise ValidationError(
        {
            "body": f"New members can include at most {limit} links in a post; this one has "
            f"{links}. Remove {links - limit} and post again. The limit lifts once you have "
            "been here a while."
        }
    )


def check_thread_limits(*, author: User, community: Community, body: str) -> None:
    """Call inside the transaction of `start_thread`; raises `RateLimited` past a limit."""
    membership = _lock_membership(author, community)
    if not is_new_member(author, community, membership=membership):
        return
    check_links(author=author, community=community, body=body)
    now = timezone.now()
    interval = timedelta(seconds=settings.TRELLIS_NEW_MEMBER_THREAD_INTERVAL_SECONDS)
    mine = Thread.objects.filter(author=author, community=community)
    last = mine.order_by("-created_at").values_list("created_at", flat=True).first()
    if last is not None and last + interval > now:
        minutes = interval.total_seconds() / 60
        raise RateLimited(
            f"New members wait {minutes:g} minutes between threads. "
            f"You can start your next thread {_when(last + interval)}.",
            retry_at=last + interval,
        )
    per_day = settings.TRELLIS_NEW_MEMBER_THREADS_PER_DAY
    today = list(
        mine.filter(created_at__gt=now - timedelta(days=1))
        .order_by("created_at")
        .values_list("created_at", flat=True)[:per_day]
    )
    if len(today) >= per_day:
        retry_at = today[0] + timedelta(days=1)
        raise RateLimited(
            f"New members can start {per_day} threads a day, and you have reached that. "
            f"You can start another {_when(retry_at)}.",
            retry_at=retry_at,
        )


def check_reply_limits(*, author: User, community: Community, body: str) -> None:
    """Call inside the transaction of `reply`; raises `RateLimited` past a limit."""
    membership = _lock_membership(author, community)
    if not is_new_member(author, community, membership=membership):
        return
    check_links(author=author, community=community, body=body)
    per_day = settings.TRELLIS_NEW_MEMBER_REPLIES_PER_DAY
    today = list(
        Post.objects.filter(
            author=author,
            thread__community=community,
            created_at__gt=timezone.now() - timedelta(days=1),
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)[:per_day]
    )
    if len(today) >= per_day:
        retry_at = today[0] + timedelta(days=1)
        raise RateLimited(
            f"New members can post {per_day} replies a day, and you have reached that. "
            f"You can reply again {_when(retry_at)}.",
            retry_at=retry_at,
        )
