"""Posting limits for new members: their first days in a community, or before their first
few posts there. The thread and reply services call these inside their transaction."""

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.timesince import timeuntil

from communities.core.errors import RateLimited
from communities.core.models.communities import Community, Membership, MembershipStatus, Role
from communities.core.models.people import User
from communities.discussions.models.threads import Post, Thread

LINK_PATTERN = re.compile(r"(?:https?://|ftp://|mailto:|www\.)", re.IGNORECASE)
EXEMPT_ROLES = {Role.MODERATOR, Role.MANAGER, Role.CHAMPION}


def count_links(text: str) -> int:
    return len(LINK_PATTERN.findall(text or ""))


def posts_in_community(user: User, community: Community) -> int:
    threads = Thread.objects.filter(author=user, community=community).count()
    replies = Post.objects.filter(author=user, thread__community=community).count()
    return threads + replies


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
    return posts_in_community(user, community) < settings.TRELLIS_NEW_MEMBER_POSTS


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
