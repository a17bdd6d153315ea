"""Reads of threads and replies. `visible_threads` alone decides who sees which thread."""

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from wagtail.search.backends import get_search_backend

from communities.circles.models import CircleMembership, CircleMembershipStatus
from communities.core import rules as permissions
from communities.core.models.communities import Community, Membership, MembershipStatus, Role
from communities.core.selectors import active_membership_q, content_visible_communities
from communities.discussions.models.threads import Post, QuestionStatus, Thread, ThreadKind
from communities.discussions.models.votes import Thanks, Vote
from communities.discussions.selectors.follows import followed_threads_q

THREAD_SORTS = {
    "activity": ("-last_activity_at", "-pk"),
    "newest": ("-created_at", "-pk"),
    "votes": ("-total_votes", "-last_activity_at", "-pk"),
}
ANONYMOUS_NAME = "Anonymous member"


def _moderates_q(viewer, community_ref: str) -> Q:
    return Q(
        Exists(
            Membership.objects.filter(
                community=OuterRef(community_ref),
                user_id=viewer.pk,
                status=MembershipStatus.ACTIVE,
                role__in=[Role.MODERATOR, Role.MANAGER],
            )
        )
    )


def visible_threads(viewer) -> QuerySet[Thread]:
    """Threads `viewer` may read: in communities whose content they may read, circle threads
    only for the circle's active members who are still active members of the community,
    hidden threads only for the community's moderators. Staff see everything. Every list,
    search, feed and count of threads starts here."""
    threads = Thread.objects.all()
    if getattr(viewer, "is_staff", False):
        return threads
    threads = threads.filter(community__in=content_visible_communities(viewer))
    if not viewer.is_authenticated:
        return threads.filter(circle__isnull=True, is_hidden=False)
    in_circle = Exists(
        CircleMembership.objects.filter(
            circle=OuterRef("circle"), user_id=viewer.pk, status=CircleMembershipStatus.ACTIVE
        )
    )
    # A seat in a circle outlives a ban or a departure from the community; the circle's
    # threads must not, even in an open community.
    in_community = active_membership_q(viewer, "community")
    return threads.filter(Q(circle__isnull=True) | (Q(in_circle) & in_community)).filter(
        Q(is_hidden=False) | _moderates_q(viewer, "community")
    )


def shown_author(viewer, *, thread: Thread, author_id: int | None, author):
    """The person to show as the author of a thread or reply, or None for "Anonymous member".

    An anonymous asker stays anonymous in their question and in their own replies to it,
    to everybody but themselves (moderators and staff included).
    """
    if thread.is_anonymous and author_id == thread.author_id:
        is_self = getattr(viewer, "is_authenticated", False) and viewer.pk == author_id
        return author if is_self else None
    return author


def attach_shown_authors(viewer, threads) -> list[Thread]:
    threads = list(threads)
    for thread in threads:
        thread.shown_author = shown_author(
            viewer, thread=thread, author_id=thread.author_id, author=thread.author
        )
    return threads


def question_status(thread: Thread) -> str | None:
    """unanswered / answered / accepted for questions, derived from the data; None otherwise."""
    if thread.kind != ThreadKind.QUESTION:
        return None
    if thread.accepted_answer_id:
        return QuestionStatus.ACCEPTED
    if getattr(thread, "answer_count", 0):
        return QuestionStatus.ANSWERED
    return QuestionStatus.UNANSWERED


def _with_list_annotations(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    visible_posts = Q(posts__is_hidden=False)
    return (
        threads.select_related("community", "circle", "author")
        .prefetch_related("tags")
        .annotate(
            reply_count=Count("posts", filter=visible_posts),
            answer_count=Count("posts", filter=visible_posts & Q(posts__parent__isnull=True)),
            total_votes=Coalesce(Sum("posts__vote_count", filter=visible_posts), 0),
        )
    )


def threads_for_community(
    *,
    viewer,
    community: Community,
    kind: str | None = None,
    tag: str | None = None,
    status: str | None = None,
    followed: bool = False,
    sort: str = "activity",
) -> QuerySet[Thread]:
    """The community's threads `viewer` may read, filtered and sorted, carrying tags, counts
    (`reply_count`, `answer_count`, `total_votes`) and what the list rows show.

    `followed` keeps the threads `viewer` follows, directly or through one of their tags.
    """
    threads = visible_threads(viewer).filter(community=community)
    if followed:
        threads = threads.filter(followed_threads_q(viewer))
    if kind in ThreadKind.values:
        threads = threads.filter(kind=kind)
    if tag:
        threads = threads.filter(tags__name=tag)
    threads = _with_list_annotations(threads)
    if status == QuestionStatus.UNANSWERED:
        threads = threads.filter(
            kind=ThreadKind.QUESTION, accepted_answer__isnull=True, answer_count=0
        )  # type: ignore[misc]  # answer_count is annotated by _with_list_annotations
    elif status == QuestionStatus.ANSWERED:
        threads = threads.filter(kind=ThreadKind.QUESTION).filter(
            Q(answer_count__gt=0) | Q(accepted_answer__isnull=False)
        )
    elif status == QuestionStatus.ACCEPTED:
        threads = threads.filter(kind=ThreadKind.QUESTION, accepted_answer__isnull=False)
    return threads.order_by(*THREAD_SORTS.get(sort, THREAD_SORTS["activity"]))


def recent_threads_for_community(*, viewer, community: Community, limit: int = 5) -> list[Thread]:
    """The latest active threads for the community page, authors already made safe to show."""
    threads = threads_for_community(viewer=viewer, community=community)[:limit]
    return decorate_threads(viewer, threads)


def decorate_threads(viewer, threads) -> list[Thread]:
    """Evaluate a page of threads and add what rows show: the safe author and the status."""
    threads = attach_shown_authors(viewer, threads)
    for thread in threads:
        thread.status = question_status(thread)
    return threads


@dataclass
class ThreadPage:
    thread: Thread
    answers: list[Post]


def _posts_for(viewer, *, include_hidden: bool) -> QuerySet[Post]:
    posts = Post.objects.select_related("author")
    if not include_hidden:
        posts = posts.filter(is_hidden=False)
    if viewer.is_authenticated:
        posts = posts.annotate(
            has_voted=Exists(Vote.objects.filter(post=OuterRef("pk"), user_id=viewer.pk)),
            has_thanked=Exists(Thanks.objects.filter(post=OuterRef("pk"), user_id=viewer.pk)),
        )
    else:
        posts = posts.annotate(
            has_voted=Value(False, output_field=BooleanField()),
            has_thanked=Value(False, output_field=BooleanField()),
        )
    return posts


def thread_for_viewer(*, viewer, thread_id: int, community: Community | None = None) -> Thread:
    """One thread `viewer` may read (404 otherwise), with its community, circle, author and
    tags: what the action views (edit, accept, verify, reveal, history, flag, vote) need."""
    threads = visible_threads(viewer).select_related("community", "circle", "author")
    if community is not None:
        threads = threads.filter(community=community)
    thread = threads.prefetch_related("tags").filter(pk=thread_id).first()
    if thread is None:
        raise Http404
    return thread


def thread_detail(*, viewer, thread_id: int, community: Community | None = None) -> ThreadPage:
    """One thread `viewer` may read (404 otherwise) and its answers: accepted first, verified
    next, then by votes and time; each carries its replies, the viewer's vote and thanks, and
    the author safe to show."""
    thread = thread_for_viewer(viewer=viewer, thread_id=thread_id, community=community)
    include_hidden = permissions.can(viewer, "moderate_community", thread.community)
    rank = Case(
        When(pk=thread.accepted_answer_id or 0, then=Value(0)),
        When(pk=thread.verified_answer_id or 0, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    # Answers and their replies in one query, the tree built here.
    posts: list[Post] = list(
        _posts_for(viewer, include_hidden=include_hidden)
        .filter(thread=thread)
        .annotate(rank=rank)
        .order_by("rank", "-vote_count", "created_at", "pk")
    )
    replies: dict[int, list[Post]] = {}
    for post in posts:
        post.thread = thread  # what the rules ask of each post, without a query per post
    for reply in sorted(posts, key=lambda reply: (reply.created_at, reply.pk)):
        if reply.parent_id is not None:
            replies.setdefault(reply.parent_id, []).append(reply)
    answers = [answer for answer in posts if answer.parent_id is None]
    for answer in answers:
        # What `prefetch_related("children")` would have stored, without its extra query.
        children: Any = answer.children.get_queryset()
        children._result_cache = replies.get(answer.pk, [])
        children._prefetch_done = True
        answer._prefetched_objects_cache = {"children": children}  # type: ignore[attr-defined]
    thread.shown_author = shown_author(
        viewer, thread=thread, author_id=thread.author_id, author=thread.author
    )
    thread.answer_count = sum(1 for post in answers if not post.is_hidden)
    thread.status = question_status(thread)
    for post in answers:
        post.is_accepted = post.pk == thread.accepted_answer_id
        post.is_verified = post.pk == thread.verified_answer_id
        post.shown_author = shown_author(
            viewer, thread=thread, author_id=post.author_id, author=post.author
        )
        for child in post.children.all():
            child.shown_author = shown_author(
                viewer, thread=thread, author_id=child.author_id, author=child.author
            )
    return ThreadPage(thread=thread, answers=answers)


def post_for_viewer(*, viewer, thread: Thread, post_id: int) -> Post:
    """A reply of a thread the viewer can already see; 404 when it is not there or hidden
    from them."""
    post = Post.objects.select_related("thread", "author").filter(pk=post_id, thread=thread).first()
    if post is None:
        raise Http404
    if post.is_hidden and not permissions.can(viewer, "moderate_community", thread.community):
        raise Http404
    return post


def search_threads(*, viewer, query: str, community: Community | None = None):
    """Threads matching `query` in titles, bodies and replies, among those `viewer` may read;
    best matches first. A lazy result the paginator can slice."""
    query = (query or "").strip()
    if not query:
        return Thread.objects.none()
    visible = visible_threads(viewer)
    if community is not None:
        visible = visible.filter(community=community)
    # The search backend understands plain field lookups; visibility joins go in a subquery.
    candidates = Thread.objects.filter(pk__in=visible.values("pk")).order_by()
    return get_search_backend().search(query, candidates, operator="and")


def threads_in_order(viewer, threads) -> list[Thread]:
    """A page of search results as list rows (counts, tags, safe author, status), in the
    order given, loaded in a constant number of queries."""
    pks = [thread.pk for thread in threads]
    rows = _with_list_annotations(visible_threads(viewer).filter(pk__in=pks))
    by_pk = {thread.pk: thread for thread in rows}
    return decorate_threads(viewer, [by_pk[pk] for pk in pks if pk in by_pk])
