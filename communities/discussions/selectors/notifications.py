"""Reads of notifications, and who may hear about a thread at all."""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from communities.circles.models import Circle, CircleMembership, CircleMembershipStatus
from communities.core.compiled import compiled
from communities.core.models.communities import Membership, MembershipStatus, Role, Visibility
from communities.core.models.people import User
from communities.discussions.models.notifications import (
    CircleNotificationSetting,
    CommunityNotificationSetting,
    Notification,
    NotificationLevel,
)
from communities.discussions.models.threads import Thread
from communities.discussions.selectors.threads import known_readable, visible_threads


def readers_of(thread: Thread, users: QuerySet[User]) -> QuerySet[User]:
    """The people among `users` who may read `thread`, in one query.

    The same rule as `visible_threads`, turned around to filter people for one thread
    (a test checks the two agree): staff; otherwise the community's content must be
    open to them, a circle thread needs an active circle member who is an active community
    member, a hidden thread a moderator.
    """
    community = thread.community
    rule = Q()
    # Circle threads also need an active community member: a circle seat outlives a ban.
    if community.visibility != Visibility.OPEN or thread.circle_id:
        rule &= Q(
            Exists(
                Membership.objects.filter(
                    community_id=community.pk, user=OuterRef("pk"), status=MembershipStatus.ACTIVE
                )
            )
        )
    if thread.circle_id:
        rule &= Q(
            Exists(
                CircleMembership.objects.filter(
                    circle_id=thread.circle_id,
                    user=OuterRef("pk"),
                    status=CircleMembershipStatus.ACTIVE,
                )
            )
        )
    if thread.is_hidden:
        rule &= Q(
            Exists(
                Membership.objects.filter(
                    community_id=community.pk,
                    user=OuterRef("pk"),
                    status=MembershipStatus.ACTIVE,
                    role__in=[Role.MODERATOR, Role.MANAGER],
                )
            )
        )
    users = users.filter(is_active=True)
    # An empty Q would vanish from the OR below and leave staff only.
    return users.filter(Q(is_staff=True) | rule) if rule else users


def can_read_thread(viewer, thread: Thread) -> bool:
    return visible_threads(viewer).filter(pk=thread.pk).exists()


def notifications_for(viewer) -> QuerySet[Notification]:
    """`viewer`'s notices and notifications about threads they can still read, newest first,
    carrying the thread, its community and the actor the row names."""
    return (
        Notification.objects.filter(recipient_id=viewer.pk)
        .filter(Q(thread__isnull=True) | Q(thread__in=visible_threads(viewer).values("pk")))
        .select_related("thread__community", "actor", "post")
        .order_by("-created_at", "-pk")
    )


UNREAD_COUNT_CAP = 100


def unread_notification_count(viewer) -> int:
    """How many of `viewer`'s readable notifications are unread, counting at most
    `UNREAD_COUNT_CAP` rows: the same cost for 5 and 5,000 unread.

    Every signed-in page asks, so the threads of at most `UNREAD_COUNT_CAP` unread rows are
    read first by the recipient's index, and the visibility filter is built only when some
    name a thread, over those few ids (a reader who is up to date stops at the first query).
    Only when the cap is reached and some of those threads became unreadable are the
    readable ones counted in full, up to the cap."""
    if not viewer.is_authenticated:
        return 0
    thread_ids = compiled(("unread-thread-ids",), _unread_thread_ids, viewer.pk)
    named = {pk for pk in thread_ids if pk is not None}
    readable = known_readable(viewer, named)  # the thread this page shows, say
    if unknown := named - readable:
        readable |= set(visible_threads(viewer).filter(pk__in=unknown).values_list("pk", flat=True))
    if len(thread_ids) < UNREAD_COUNT_CAP or readable == named:
        return sum(1 for pk in thread_ids if pk is None or pk in readable)
    unread = notifications_for(viewer).filter(read_at__isnull=True).order_by()
    return unread.values("pk")[:UNREAD_COUNT_CAP].count()


def _unread_thread_ids(recipient_id) -> QuerySet:
    return (
        Notification.objects.filter(recipient_id=recipient_id, read_at__isnull=True)
        .order_by()
        .values_list("thread_id", flat=True)[:UNREAD_COUNT_CAP]
    )


def unread_badge(viewer) -> str:
    """The navigation's unread badge: "" for none, the number, or "99+"."""
    count = unread_notification_count(viewer)
    if not count:
        return ""
    return "99+" if count > 99 else str(count)


def shown_actor(notification: Notification):
    """The person a notification names, or None. An anonymous asker is never named, even if
    a row somehow stored them."""
    thread = notification.thread
    if thread is None:
        return notification.actor
    if thread.is_anonymous and notification.actor_id == thread.author_id:
        return None
    return notification.actor


def decorate_notifications(notifications) -> list[Notification]:
    rows = list(notifications)
    for row in rows:
        row.shown_actor = shown_actor(row)
    return rows


def notification_level(*, viewer, community) -> str | None:
    """The viewer's notification setting for `community` ("all" when never chosen), or None
    for an anonymous visitor."""
    if not viewer.is_authenticated:
        return None
    level = (
        CommunityNotificationSetting.objects.filter(user_id=viewer.pk, community_id=community.pk)
        .values_list("level", flat=True)
        .first()
    )
    return level or NotificationLevel.ALL


def circle_notification_levels(*, viewer, circle) -> tuple[str | None, str]:
    """The viewer's own setting for `circle` (None when the community's applies) and their
    setting for its community ("all" when never chosen), in one query."""
    own = CircleNotificationSetting.objects.filter(user_id=viewer.pk, circle_id=OuterRef("pk"))
    community = CommunityNotificationSetting.objects.filter(
        user_id=viewer.pk, community_id=OuterRef("community_id")
    )
    row = (
        Circle.objects.filter(pk=circle.pk)
        .annotate(
            own=Subquery(own.values("level")[:1]),
            community_level=Subquery(community.values("level")[:1]),
        )
        .values_list("own", "community_level")
        .first()
    )
    own_level, community_level = row if row is not None else (None, None)
    return own_level, community_level or NotificationLevel.ALL


def my_circle_levels(*, viewer, community) -> list[Circle]:
    """The viewer's circles in `community` (active seats), each with `notification_level`
    (their own setting, or None when the community's applies), in one query."""
    if not viewer.is_authenticated:
        return []
    own = CircleNotificationSetting.objects.filter(user_id=viewer.pk, circle_id=OuterRef("pk"))
    return list(
        Circle.objects.filter(
            community_id=community.pk,
            memberships__user_id=viewer.pk,
            memberships__status=CircleMembershipStatus.ACTIVE,
        )
        .annotate(notification_level=Subquery(own.values("level")[:1]))
        .order_by("name")
    )
