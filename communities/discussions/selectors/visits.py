"""Reads of what a member has read: "new since your last visit", per thread and counted.

A thread is new to a signed-in member when its last activity came after the latest of: their
last visit of it, their "mark all read" of its community, and the day they joined that
community (older threads are not news to a newcomer). Visitors who are not members of the
community see nothing marked new.
"""

import datetime as dt

from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from communities.core.models.communities import Membership, MembershipStatus
from communities.discussions.models.threads import Thread
from communities.discussions.models.visits import CommunityReadMark, ThreadVisit

_LONG_AGO = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_NEVER = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


def _read_up_to(viewer, thread_ref: str = "pk", community_ref: str = "community"):
    """The time up to which `viewer` has read the thread at `thread_ref` (an expression)."""
    visit = ThreadVisit.objects.filter(user_id=viewer.pk, thread=OuterRef(thread_ref))
    mark = CommunityReadMark.objects.filter(user_id=viewer.pk, community=OuterRef(community_ref))
    joined = Membership.objects.filter(
        user_id=viewer.pk, community=OuterRef(community_ref), status=MembershipStatus.ACTIVE
    )
    as_time = DateTimeField()
    return Greatest(
        Coalesce(Subquery(visit.values("seen_at")[:1]), Value(_LONG_AGO), output_field=as_time),
        Coalesce(Subquery(mark.values("read_at")[:1]), Value(_LONG_AGO), output_field=as_time),
        # Not a member: nothing is new to them.
        Coalesce(Subquery(joined.values("joined_at")[:1]), Value(_NEVER), output_field=as_time),
        output_field=as_time,
    )


def with_unread(viewer, threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """`threads` with `is_unread` on each row, in the same query."""
    if not viewer.is_authenticated:
        return threads.annotate(is_unread=Value(False, output_field=BooleanField()))
    return threads.annotate(read_up_to=_read_up_to(viewer)).annotate(
        is_unread=ExpressionWrapper(
            Q(last_activity_at__gt=F("read_up_to")), output_field=BooleanField()
        )
    )


# `with_unread` as one SQL expression on `communities_thread` (the viewer's id a parameter),
# for rows loaded on the search page's hot path, where building the ORM form cost more than
# running it. `tests/communities/test_search_fast.py` holds the two equal; change both together.
_UNREAD_SQL = (
    "communities_thread.last_activity_at > GREATEST("
    "COALESCE((SELECT v.seen_at FROM communities_threadvisit v WHERE v.user_id = %s "
    "AND v.thread_id = communities_thread.id LIMIT 1), %s), "
    "COALESCE((SELECT r.read_at FROM communities_communityreadmark r WHERE r.user_id = %s "
    "AND r.community_id = communities_thread.community_id LIMIT 1), %s), "
    "COALESCE((SELECT m.joined_at FROM communities_membership m WHERE m.user_id = %s "
    "AND m.community_id = communities_thread.community_id AND m.status = %s LIMIT 1), %s))"
)


def unread_condition(viewer) -> tuple[str, list]:
    """SQL true for the threads that `with_unread` marks `is_unread`, and its parameters."""
    if not viewer.is_authenticated:
        return "FALSE", []
    me = viewer.pk
    return _UNREAD_SQL, [me, _LONG_AGO, me, _LONG_AGO, me, MembershipStatus.ACTIVE.value, _NEVER]


def only_unread(viewer, threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """The threads of `threads` that are new to `viewer` (none for anonymous visitors)."""
    if not viewer.is_authenticated:
        return threads.none()
    return threads.annotate(read_up_to=_read_up_to(viewer)).filter(
        last_activity_at__gt=F("read_up_to")
    )


def unread_counts(viewer, threads: QuerySet[Thread]) -> tuple[dict[int, int], dict[int, int]]:
    """How many of `threads` (already limited to what `viewer` may read) are new to them, by
    community id and by circle id; one grouped query."""
    rows = (
        only_unread(viewer, threads)
        .order_by()
        .values("community_id", "circle_id")
        .annotate(unread=Count("pk"))
    )
    by_community: dict[int, int] = {}
    by_circle: dict[int, int] = {}
    for row in rows:
        by_community[row["community_id"]] = by_community.get(row["community_id"], 0) + row["unread"]
        if row["circle_id"]:
            by_circle[row["circle_id"]] = row["unread"]
    return by_community, by_circle
