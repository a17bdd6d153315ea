"""Reads for moderators (the queue, the audit log) and for flaggers (their outcomes)."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.paginator import Page, Paginator
from django.db.models import Exists, Min, OuterRef, Q, QuerySet

from communities.core.models.audit import AuditEntry
from communities.core.models.communities import Community, Membership, MembershipStatus, Role
from communities.core.models.joining import Invitation
from communities.core.models.people import User
from communities.core.models.tags import Tag
from communities.core.selectors import visible_communities
from communities.discussions.models.prompts import ScheduledPrompt
from communities.discussions.models.threads import Post, Thread
from communities.discussions.selectors.threads import shown_author, visible_threads
from communities.moderation.models import Flag, FlagStatus, ModerationNotice


@dataclass
class QueueItem:
    """One flagged thread or reply with its open flags; `author` is safe to show."""

    thread: Thread
    post: Post | None
    flags: list[Flag] = field(default_factory=list)
    author: User | None = None
    is_anonymous: bool = False

    @property
    def key(self) -> str:
        return f"{self.thread.pk}-{self.post.pk if self.post else 0}"

    @property
    def body(self) -> str:
        return self.post.body if self.post is not None else self.thread.body

    @property
    def body_html(self) -> str:
        """The stored, sanitised rendering of `body`."""
        return (self.post or self.thread).body_html

    @property
    def is_hidden(self) -> bool:
        return (self.post or self.thread).is_hidden

    @property
    def total_weight(self) -> float:
        return round(sum(flag.weight for flag in self.flags), 2)

    @property
    def reasons(self) -> list[str]:
        return sorted({flag.get_reason_display() for flag in self.flags})


def _item(viewer, thread: Thread, post: Post | None) -> QueueItem:
    author_id = thread.author_id if post is None else post.author_id
    author = thread.author if post is None else post.author
    shown = shown_author(viewer, thread=thread, author_id=author_id, author=author)
    return QueueItem(
        thread=thread,
        post=post,
        author=shown,
        is_anonymous=thread.is_anonymous and author_id == thread.author_id,
    )


QUEUE_PAGE_SIZE = 50


def moderation_queue(*, viewer, community: Community, page_number=1) -> tuple[Page, list]:
    """One page (`QUEUE_PAGE_SIZE` items) of the community's open flags grouped by the thread
    or reply they are about, the longest waiting first: the page of items is taken from the
    grouped flags, then only those items' flags are loaded. Callers check that `viewer`
    moderates the community."""
    open_flags = Flag.objects.filter(community=community, status=FlagStatus.OPEN)
    groups = (
        open_flags.values("thread_id", "post_id")
        .annotate(first_at=Min("created_at"), first_pk=Min("pk"))
        .order_by("first_at", "first_pk")
    )
    page = Paginator(groups, QUEUE_PAGE_SIZE).get_page(page_number)
    keys = [(group["thread_id"], group["post_id"] or 0) for group in page.object_list]
    flags = (
        open_flags.filter(thread_id__in={thread_id for thread_id, _ in keys})
        .select_related("flagger", "thread__author", "thread__circle", "post__author")
        .order_by("created_at", "pk")
    )
    items: dict[tuple[int, int], QueueItem | None] = dict.fromkeys(keys)
    for flag in flags:
        key = (flag.thread_id, flag.post_id or 0)
        if key not in items:
            continue
        item = items[key]
        if item is None:
            item = items[key] = _item(viewer, flag.thread, flag.post)
        item.flags.append(flag)
    return page, [item for item in items.values() if item is not None]


def moderation_item(*, viewer, community: Community, thread_id: int, post_id: int | None):
    """One thread or reply of the community with its open flags, for the moderation panel;
    None when it is not there, or when it is an unflagged circle thread the viewer can't read."""
    thread = (
        Thread.objects.select_related("author", "circle", "community")
        .filter(pk=thread_id, community=community)
        .first()
    )
    if thread is None or not _brought_to_moderators(viewer, thread):
        return None
    post = None
    if post_id:
        post = Post.objects.select_related("author").filter(pk=post_id, thread=thread).first()
        if post is None:
            return None
    item = _item(viewer, thread, post)
    flags = Flag.objects.filter(thread=thread, status=FlagStatus.OPEN).select_related("flagger")
    item.flags = list(flags.filter(post=post) if post else flags.filter(post__isnull=True))
    return item


def _brought_to_moderators(viewer, thread: Thread) -> bool:
    """A circle thread is for its circle: moderators outside it see it only once someone
    flagged it (or something in it), not by guessing its number."""
    if not thread.circle_id or visible_threads(viewer).filter(pk=thread.pk).exists():
        return True
    return Flag.objects.filter(thread=thread).exists()


def communities_moderated_by(viewer) -> QuerySet[Community]:
    """Where `viewer` may move threads to: communities they moderate (all, for staff)."""
    if viewer.is_staff:
        return Community.objects.all()
    return Community.objects.filter(
        pk__in=Membership.objects.filter(
            user_id=viewer.pk,
            status=MembershipStatus.ACTIVE,
            role__in=[Role.MODERATOR, Role.MANAGER],
        ).values("community_id")
    )


def audit_log(
    *,
    viewer,
    community: Community,
    actions: Sequence[str] = (),
    person: User | None = None,
) -> QuerySet[AuditEntry]:
    """The community's audit entries, newest first, with actor, subject and target loaded
    (a constant number of queries per page), narrowed to `actions` and to entries where
    `person` acted or was acted on, when given. `can_see_related` says whether `viewer` may
    know the other community of a move exists. Callers check that the viewer moderates it."""
    entries = AuditEntry.objects.filter(community=community)
    if actions:
        entries = entries.filter(action__in=actions)
    if person is not None:
        entries = entries.filter(Q(actor_id=person.pk) | Q(subject_user_id=person.pk))
    return (
        entries.select_related("actor", "subject_user", "target_type", "related_community")
        .annotate(
            can_see_related=Exists(
                visible_communities(viewer).filter(pk=OuterRef("related_community_id"))
            )
        )
        .prefetch_related(
            GenericPrefetch(
                "target",
                [
                    Thread.objects.all(),
                    Post.objects.select_related("thread"),
                    Membership.objects.select_related("user"),
                    Tag.objects.all(),
                    User.objects.all(),
                    Invitation.objects.all(),
                    ScheduledPrompt.objects.all(),
                ],
            )
        )
        .order_by("-created_at", "-pk")
    )


def flags_raised_by(viewer) -> QuerySet[Flag]:
    """The viewer's own flags, newest first, with what they were about. `can_see_thread`
    says whether the thread is still theirs to read (it may have been moved or hidden since),
    so a page never shows the title of something they may no longer see."""
    return (
        Flag.objects.filter(flagger_id=viewer.pk)
        .select_related("thread", "post", "community")
        .annotate(can_see_thread=Exists(visible_threads(viewer).filter(pk=OuterRef("thread_id"))))
        .order_by("-created_at", "-pk")
    )


def notices_for(viewer) -> QuerySet[ModerationNotice]:
    """The viewer's moderation notices, newest first. `can_see_community` says whether the
    viewer may know the notice's community exists (a thread may have moved into a private
    one since), so a page names it only then."""
    return (
        ModerationNotice.objects.filter(recipient_id=viewer.pk)
        .select_related("community")
        .annotate(
            can_see_community=Exists(
                visible_communities(viewer).filter(pk=OuterRef("community_id"))
            )
        )
        .order_by("-created_at", "-pk")
    )
