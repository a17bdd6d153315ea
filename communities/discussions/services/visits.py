"""Remembering what a member has read: a thread's last visit and "mark all read"."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from communities.core.models.communities import Community
from communities.core.models.people import User
from communities.discussions.models.threads import Thread
from communities.discussions.models.visits import CommunityReadMark, ThreadVisit


def record_thread_visit(*, user: User, thread: Thread, seen_at: dt.datetime | None = None) -> None:
    """Remember that `user` has just read `thread` (one upsert; nothing for anonymous
    visitors). The caller has shown them the thread, so visibility is already checked.

    `seen_at` is their visit as already recorded, when the caller read it: a visit that
    already covers the thread's last activity is not written again (a thread is unread only
    when its last activity comes after the visit, so the write would change nothing, and a
    reader who comes back costs no write)."""
    if not user.is_authenticated:
        return
    if seen_at is not None and seen_at >= thread.last_activity_at:
        return
    ThreadVisit.objects.bulk_create(
        [ThreadVisit(user=user, thread=thread, seen_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "thread"],
        update_fields=["seen_at"],
    )


def mark_community_read(*, user: User, community: Community) -> None:
    """Every thread of `community` counts as read by `user` up to now; later activity is new.
    The caller has checked that `user` may read the community's threads."""
    with transaction.atomic(durable=True):
        CommunityReadMark.objects.update_or_create(
            user=user, community=community, defaults={"read_at": timezone.now()}
        )
