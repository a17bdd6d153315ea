"""Reads of threads and replies. `visible_threads` alone decides who sees which thread."""

import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.http import Http404
from wagtail.search.backends import get_search_backend

from communities import hooks
from communities.circles.models import CircleMembership, CircleMembershipStatus
from communities.circles.rules import is_active_circle_member
from communities.core import rules as permissions
from communities.core.compiled import compiled
from communities.core.models.communities import (
    Community,
    Membership,
    MembershipStatus,
    Role,
    Visibility,
)
from communities.core.selectors import active_membership_q, content_visible_communities
from communities.core.stemming import stemmed_query
from communities.discussions import search
from communities.discussions.models.threads import Post, QuestionStatus, Thread, ThreadKind
from communities.discussions.selectors import list_rows_sql
from communities.discussions.selectors.follows import followed_threads_q
from communities.discussions.selectors.visible_sql import visible_threads_condition
from communities.discussions.selectors.visits import with_unread

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
    # Built once per page (`rules.remembering`): the thread page and its unread badge both
    # ask, and building these filters was a tenth of the page's CPU. A clone each time, so no
    # caller's filter or results reach another.
    built = permissions.remembered(viewer, ("visible-threads",), lambda: _visible_threads(viewer))
    return built.all()


def _visible_threads(viewer) -> QuerySet[Thread]:
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
    # The counts are the thread's own counters (services/counters.py): nothing is summed.
    return threads.select_related("community", "circle", "author").prefetch_related("tags")


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
    """The community's threads `viewer` may read, filtered and sorted, without the row
    annotations: take a page of them (through the index on the sort column), then load the
    rows with `threads_in_order`, so no count over the whole community's posts is made.

    `followed` keeps the threads `viewer` follows, directly or through one of their tags.
    Every sort and status reads the thread's own columns (its counters), through an index.
    """
    threads = visible_threads(viewer).filter(community=community)
    if followed:
        threads = threads.filter(followed_threads_q(viewer))
    if kind in ThreadKind.values:
        threads = threads.filter(kind=kind)
    if tag:
        threads = threads.filter(tags__name=tag)
    if status == QuestionStatus.UNANSWERED:
        threads = threads.filter(
            kind=ThreadKind.QUESTION, answer_count=0, accepted_answer__isnull=True
        )
    elif status == QuestionStatus.ANSWERED:
        threads = threads.filter(kind=ThreadKind.QUESTION).filter(
            Q(answer_count__gt=0) | Q(accepted_answer__isnull=False)
        )
    elif status == QuestionStatus.ACCEPTED:
        threads = threads.filter(kind=ThreadKind.QUESTION, accepted_answer__isnull=False)
    return threads.order_by(*THREAD_SORTS.get(sort, THREAD_SORTS["activity"]))


def recent_threads_for_community(*, viewer, community: Community, limit: int = 5) -> list[Thread]:
    """The latest active threads for the community page, authors already made safe to show."""
    page = threads_for_community(viewer=viewer, community=community).values_list("pk", flat=True)
    return threads_in_order(viewer, list(page[:limit]))


def decorate_threads(viewer, threads) -> list[Thread]:
    """Evaluate a page of threads and add what rows show: the safe author and the status."""
    threads = attach_shown_authors(viewer, threads)
    for thread in threads:
        thread.status = question_status(thread)
    return threads


ANSWERS_PER_PAGE = 30


@dataclass
class ThreadPage:
    thread: Thread
    answers: list[Post]
    # The page of answers shown, when the caller asked for one (None: all answers).
    page: Page | None = None


# The thread page's per-reply facts as constant SQL: the ORM spent more CPU building these
# subqueries and CASE than PostgreSQL spends running them.
_VIEWER_VOTED = (
    "EXISTS (SELECT 1 FROM communities_vote v "
    "WHERE v.post_id = communities_post.id AND v.user_id = %s)"
)
_VIEWER_THANKED = (
    "EXISTS (SELECT 1 FROM communities_thanks t "
    "WHERE t.post_id = communities_post.id AND t.user_id = %s)"
)
_ANSWER_RANK = (
    "CASE WHEN communities_post.id = %s THEN 0 WHEN communities_post.id = %s THEN 1 ELSE 2 END"
)


def _posts_for(viewer_pk: int | None, *, include_hidden: bool) -> QuerySet[Post]:
    """Replies with their authors and the viewer's vote and thanks (`viewer_pk` None for an
    anonymous visitor)."""
    posts = Post.objects.select_related("author")
    if not include_hidden:
        posts = posts.filter(is_hidden=False)
    if viewer_pk is not None:
        posts = posts.annotate(
            has_voted=RawSQL(_VIEWER_VOTED, [viewer_pk], output_field=BooleanField()),  # noqa: S611
            has_thanked=RawSQL(_VIEWER_THANKED, [viewer_pk], output_field=BooleanField()),  # noqa: S611
        )
    else:
        posts = posts.annotate(
            has_voted=Value(False, output_field=BooleanField()),
            has_thanked=Value(False, output_field=BooleanField()),
        )
    return posts


def _viewer_pk(viewer) -> int | None:
    return viewer.pk if viewer.is_authenticated else None


def _answers_query(thread_id, accepted_id, verified_id, *viewer_pk) -> QuerySet[Post]:
    """A thread's answers (hidden ones too), accepted first, verified next, then by votes and
    time; `viewer_pk` (none for an anonymous visitor) for their vote and thanks."""
    rank = RawSQL(_ANSWER_RANK, [accepted_id, verified_id], output_field=IntegerField())  # noqa: S611
    posts = _posts_for(viewer_pk[0] if viewer_pk else None, include_hidden=True)
    return (
        posts.filter(thread_id=thread_id, parent__isnull=True)
        .annotate(rank=rank)
        .order_by("rank", "-vote_count", "created_at", "pk")
    )


def _answers_of(viewer, thread: Thread) -> QuerySet[Post]:
    return _answers_query(*_answer_values(viewer, thread))


def _answer_values(viewer, thread: Thread) -> tuple:
    viewer_pk = _viewer_pk(viewer)
    return (
        thread.pk,
        thread.accepted_answer_id or 0,
        thread.verified_answer_id or 0,
        *(() if viewer_pk is None else (viewer_pk,)),
    )


def _answers_page(viewer, thread: Thread, start: int, stop: int) -> list[Post]:
    """Answers `start` to `stop` in `_answers_query`'s order, from SQL compiled once."""
    values = _answer_values(viewer, thread)
    key = ("thread-page-answers", len(values), start, stop)
    return compiled(key, lambda *v: _answers_query(*v)[start:stop], *values)


def _replies_query(viewer_pk: int | None, answer_ids) -> QuerySet[Post]:
    replies = _posts_for(viewer_pk, include_hidden=True).filter(parent_id__in=answer_ids)
    return replies.order_by("created_at", "pk")


def _attach_replies(viewer, answers: list[Post]) -> None:
    """Each answer's nested replies as `answer.replies`, oldest first, in one query (grouped
    here: prefetching cloned a related manager and queryset per answer)."""
    by_answer: dict[int, list[Post]] = {answer.pk: [] for answer in answers}
    if by_answer:
        viewer_pk = _viewer_pk(viewer)
        ids = list(by_answer)
        key = ("thread-page-replies", viewer_pk is None, len(ids))
        if viewer_pk is None:
            replies = compiled(key, lambda *v: _replies_query(None, v), *ids)
        else:
            replies = compiled(key, lambda p, *v: _replies_query(p, v), viewer_pk, *ids)
        for reply in replies:
            by_answer[reply.parent_id or 0].append(reply)
    for answer in answers:
        answer.replies = by_answer[answer.pk]


def thread_for_viewer(
    *, viewer, thread_id: int, community: Community | None = None, page_facts: bool = False
) -> Thread:
    """One thread `viewer` may read, without its answers; 404 otherwise. With `page_facts`
    it carries what the thread page asks of it (`_thread_page_annotations`), read in the
    same query.

    With `community` (one whose content `viewer` may read, as `community_for(content=True)`
    gives) the thread is read by its key and `may_read_thread` decides, in Python, from the
    memberships the page reads anyway: compiling `visible_threads`' subqueries for one row
    was a quarter of the thread page's CPU. Both say the same (tests/communities/
    test_thread_reading_rule.py holds them to it for every role and kind of thread)."""
    tags_in_row = connection.vendor == "postgresql"  # arrays: no second query for the tags
    viewer_pk = _viewer_pk(viewer) if page_facts else None
    if community is None:
        threads = visible_threads(viewer).select_related("community", "circle", "author")
        threads = _with_thread_facts(
            threads.filter(pk=thread_id), viewer_pk, page_facts=page_facts, tags_in_row=tags_in_row
        )
        thread = threads.first()
    elif tags_in_row:
        # The same query on every page: compiled once (`communities.core.compiled`).
        values = (thread_id, community.pk, *(() if viewer_pk is None else (viewer_pk,)))
        key = ("thread-row", page_facts, len(values))
        rows = compiled(
            key, lambda *v: _thread_by_key(*v, page_facts=page_facts, tags_in_row=True), *values
        )
        thread = rows[0] if rows else None
    else:
        viewer_args = () if viewer_pk is None else (viewer_pk,)
        threads = _thread_by_key(
            thread_id, community.pk, *viewer_args, page_facts=page_facts, tags_in_row=False
        )
        thread = threads.first()
    if thread is None:
        raise Http404
    if tags_in_row:
        list_rows_sql.attach_tag_arrays(thread)
    if community is not None:
        thread.community = community
        if not may_read_thread(viewer, thread):
            raise Http404
        permissions.remembered(viewer, ("readable-thread", thread.pk), lambda: True)
    return thread


def _thread_by_key(
    thread_id, community_id, *viewer_pk, page_facts: bool, tags_in_row: bool
) -> QuerySet[Thread]:
    threads = Thread.objects.select_related("circle", "author").filter(
        pk=thread_id, community_id=community_id
    )
    threads = _with_thread_facts(
        threads,
        viewer_pk[0] if viewer_pk else None,
        page_facts=page_facts,
        tags_in_row=tags_in_row,
    )
    return threads[:1]


def _with_thread_facts(
    threads: QuerySet[Thread], viewer_pk: int | None, *, page_facts: bool, tags_in_row: bool
) -> QuerySet[Thread]:
    if page_facts:
        threads = threads.annotate(**_thread_page_annotations(viewer_pk))
    if tags_in_row:
        return threads.annotate(**_tag_arrays())
    return threads.prefetch_related("tags")


def known_readable(viewer, thread_ids) -> set[int]:
    """Those of `thread_ids` this request has already shown `viewer` they may read."""
    return {pk for pk in thread_ids if permissions.recall(viewer, ("readable-thread", pk))}


def may_read_thread(viewer, thread: Thread) -> bool:
    """`visible_threads`' rule for one thread, in Python: the community's content readable
    (staff; open communities, not held for review from anonymous visitors; communities the
    viewer is an active member of), a circle's thread only for the circle's active members who
    are active members of the community, a hidden one only for its moderators and managers."""
    if getattr(viewer, "is_staff", False):
        return True
    community = thread.community
    if not viewer.is_authenticated:
        return (
            community.visibility == Visibility.OPEN
            and not community.is_held_for_review
            and thread.circle_id is None
            and not thread.is_hidden
        )
    membership = permissions.active_membership(viewer, community)
    if community.visibility != Visibility.OPEN and membership is None:
        return False
    if thread.circle_id is not None and (
        membership is None or not is_active_circle_member(viewer, thread.circle)
    ):
        return False
    return not thread.is_hidden or (
        membership is not None and membership.role in (Role.MODERATOR, Role.MANAGER)
    )


_ANSWERS_ALL = (
    "(SELECT count(*) FROM communities_post a "
    "WHERE a.thread_id = communities_thread.id AND a.parent_id IS NULL)"
)
_ANSWERS_VISIBLE = (
    "(SELECT count(*) FROM communities_post a WHERE a.thread_id = communities_thread.id "
    "AND a.parent_id IS NULL AND NOT a.is_hidden)"
)
_FOLLOWED = (
    "EXISTS (SELECT 1 FROM communities_follow f "
    "WHERE f.thread_id = communities_thread.id AND f.user_id = %s)"
)


_SEEN_AT = (
    "(SELECT v.seen_at FROM communities_threadvisit v "
    "WHERE v.thread_id = communities_thread.id AND v.user_id = %s)"
)


def _thread_page_annotations(viewer_pk: int | None) -> dict:
    """What the thread page asks of its thread, read with it: the answer counts, whether the
    viewer (`viewer_pk`, None for an anonymous visitor) follows it, their last recorded visit
    (`viewer_seen_at`, None when none), and what other apps
    registered (`hooks.THREAD_ANNOTATIONS`, the same for every viewer)."""
    annotations = {
        "answers_all": RawSQL(_ANSWERS_ALL, [], output_field=IntegerField()),  # noqa: S611
        "answers_visible": RawSQL(_ANSWERS_VISIBLE, [], output_field=IntegerField()),  # noqa: S611
        "followed_by_viewer": RawSQL(_FOLLOWED, [viewer_pk], output_field=BooleanField())  # noqa: S611
        if viewer_pk is not None
        else Value(False, output_field=BooleanField()),
        "viewer_seen_at": RawSQL(_SEEN_AT, [viewer_pk], output_field=DateTimeField())  # noqa: S611
        if viewer_pk is not None
        else Value(None, output_field=DateTimeField()),
    }
    for add in hooks.registered(hooks.THREAD_ANNOTATIONS):
        annotations.update(add())
    return annotations


def thread_detail(
    *, viewer, thread_id: int, community: Community | None = None, answers_page=None
) -> ThreadPage:
    """One thread `viewer` may read (404 otherwise) and its answers: accepted first, verified
    next, then by votes and time; each carries its replies, the viewer's vote and thanks, and
    the author safe to show. Each answer's nested replies are `answer.replies` (a list).

    With `answers_page` (a page number, "last", or anything else for the first page) only
    that page of `ANSWERS_PER_PAGE` answers is loaded; the accepted and verified answers are
    always the first ones of page 1.
    """
    thread = thread_for_viewer(
        viewer=viewer,
        thread_id=thread_id,
        community=community,
        page_facts=answers_page is not None,
    )
    include_hidden = permissions.can(viewer, "moderate_community", thread.community)
    # Hidden replies are read for everyone so the others see a placeholder where one was
    # (the thread still reads); their text and author are blanked below, never rendered.
    page = None
    if answers_page is None:
        answers = list(_answers_of(viewer, thread))
        thread.answer_count = sum(1 for post in answers if not post.is_hidden)
    else:
        # The pager only numbers the pages (the answers are read below), from the count read
        # with the thread: what the pager needs and what the question status needs.
        paginator: Paginator[Post] = Paginator([], ANSWERS_PER_PAGE)
        paginator.count = thread.answers_all
        if answers_page == "last":
            answers_page = paginator.num_pages
        page = paginator.get_page(answers_page)
        start = (page.number - 1) * ANSWERS_PER_PAGE
        answers = _answers_page(viewer, thread, start, start + ANSWERS_PER_PAGE)
        page.object_list = answers
        thread.answer_count = thread.answers_visible
    _attach_replies(viewer, answers)
    thread.shown_author = shown_author(
        viewer, thread=thread, author_id=thread.author_id, author=thread.author
    )
    thread.status = question_status(thread)
    for post in answers:
        post.thread = thread  # what the rules ask of each post, without a query per post
        post.is_accepted = post.pk == thread.accepted_answer_id
        post.is_verified = post.pk == thread.verified_answer_id
        post.shown_author = shown_author(
            viewer, thread=thread, author_id=post.author_id, author=post.author
        )
        for child in post.replies:
            child.thread = thread
            child.shown_author = shown_author(
                viewer, thread=thread, author_id=child.author_id, author=child.author
            )
            _blank_if_placeholder(child, include_hidden)
        _blank_if_placeholder(post, include_hidden)
    return ThreadPage(thread=thread, answers=answers, page=page)


def _blank_if_placeholder(post: Post, include_hidden: bool) -> None:
    """A hidden reply the viewer may not read keeps only its place: `is_placeholder`, and no
    text, author or counts that could tell what or who it was."""
    post.is_placeholder = post.is_hidden and not include_hidden
    if post.is_placeholder:
        post.body_html = ""
        post.body = ""
        post.shown_author = None
        post.vote_count = post.thanks_count = 0


def answers_page_of(*, viewer, thread: Thread, post_id: int) -> int:
    """The page of the thread on which `viewer` finds the answer `post_id` (or the answer a
    nested reply `post_id` sits under); 1 when it is not there."""
    parent_id = Post.objects.filter(pk=post_id).values_list("parent_id", flat=True).first()
    answer_id = parent_id or post_id
    # Everyone sees hidden answers (as placeholders for some), so pages count them all.
    ids = list(_answers_of(viewer, thread).values_list("pk", flat=True))
    try:
        return ids.index(answer_id) // ANSWERS_PER_PAGE + 1
    except ValueError:
        return 1


def post_for_viewer(*, viewer, thread: Thread, post_id: int) -> Post:
    """A reply of a thread the viewer can already see; 404 when it is not there or hidden
    from them."""
    post = Post.objects.select_related("thread", "author").filter(pk=post_id, thread=thread).first()
    if post is None:
        raise Http404
    if post.is_hidden and not permissions.can(viewer, "moderate_community", thread.community):
        raise Http404
    return post


def search_threads(
    *,
    viewer,
    query: str,
    community: Community | None = None,
    tag: str = "",
    kind: str = "",
    any_word: bool = False,
):
    """Threads matching `query` in titles, bodies and replies, among those `viewer` may read;
    best matches first; `tag` (a tag's name) and `kind` (a ThreadKind) narrow them; with
    `any_word`, a thread matching one of the words is enough (rather than all). A result the
    paginator can slice: on PostgreSQL `search.SearchHits` (at most `search.CANDIDATE_CAP`,
    `is_capped` when there were more, with `ranks`), elsewhere threads."""
    query = (query or "").strip()
    if not query:
        return Thread.objects.none()
    if search.uses_stored_vectors():
        if any_word:
            query = " or ".join(query.split())
        where, params = _search_condition(viewer, community=community, tag=tag, kind=kind)
        return search.thread_hits(
            where=where,
            params=params,
            query=query,
            load=lambda ids: threads_in_order(viewer, ids, proven_visible=True),
        )
    visible = visible_threads(viewer)
    if community is not None:
        visible = visible.filter(community=community)
    if tag:
        visible = visible.filter(tags__name=tag)
    if kind:
        visible = visible.filter(kind=kind)
    # SQLite does not stem: each word matches itself or its stem, which the index holds too.
    stemmed = stemmed_query(query, any_word=any_word)
    if stemmed is None:
        return Thread.objects.none()
    # The search backend understands plain field lookups; visibility joins go in a subquery.
    candidates = Thread.objects.filter(pk__in=visible.values("pk")).order_by()
    return get_search_backend().search(stemmed, candidates)


def _search_condition(viewer, *, community, tag: str, kind: str) -> tuple[str, list]:
    """`visible_threads(viewer)` and the search filters as one SQL condition on the thread."""
    where, params = visible_threads_condition(viewer)
    parts, params = [where], list(params)
    if community is not None:
        parts.append("communities_thread.community_id = %s")
        params.append(community.pk)
    if tag:
        parts.append(
            "communities_thread.id IN (SELECT tt.thread_id FROM communities_thread_tags tt "
            "JOIN communities_tag tg ON tg.id = tt.tag_id WHERE tg.name = %s)"
        )
        params.append(tag)
    if kind:
        parts.append("communities_thread.kind = %s")
        params.append(kind)
    return " AND ".join(f"({part})" for part in parts), params


SIMILAR_MIN_TITLE = 10


def similar_threads(*, viewer, community: Community, title: str, limit: int = 5) -> list[Thread]:
    """Threads in `community` that `viewer` may read and whose words meet those of `title`,
    best first, for the "is this already asked?" hint while a question is typed. Rows carry
    what lists show (status, counts); authors are made safe to show like everywhere."""
    words = [word for word in re.findall(r"\w+", (title or "").lower()) if len(word) >= 4]
    if len((title or "").strip()) < SIMILAR_MIN_TITLE or not words:
        return []
    hits = search_threads(
        viewer=viewer, query=" ".join(words[:12]), community=community, any_word=True
    )
    pks = hits.ids[:limit] if hasattr(hits, "ids") else [t.pk for t in hits[:limit]]
    return threads_in_order(viewer, pks, proven_visible=True)


def threads_in_order(viewer, threads, *, proven_visible: bool = False) -> list[Thread]:
    """A page of search results as list rows (counts, tags, safe author, status, whether it
    is new to the viewer: `is_unread`), in the order given (threads or their ids), loaded
    in a constant number of queries.

    `proven_visible`: the ids come from `search_threads` for this viewer in this request,
    whose statement applied the visibility rule; it is not applied a second time."""
    threads = list(threads)
    if threads and all(getattr(row, "list_row_for", None) is viewer for row in threads):
        return threads  # already this viewer's rows (a page of `search_threads`' hits)
    pks = [getattr(thread, "pk", thread) for thread in threads]
    if not pks:
        return []
    if connection.vendor == "postgresql":
        rows = _list_rows(viewer, pks, proven_visible=proven_visible)
    else:
        rows = list(
            with_unread(viewer, _with_list_annotations(visible_threads(viewer).filter(pk__in=pks)))
        )
    by_pk = {thread.pk: thread for thread in rows}
    shown = decorate_threads(viewer, [by_pk[pk] for pk in pks if pk in by_pk])
    for row in shown:
        row.list_row_for = viewer
    return shown


def _list_rows(viewer, pks: list[int], *, proven_visible: bool) -> list[Thread]:
    """The threads `pks` that `viewer` may read, as list rows, in one query: on PostgreSQL the
    SQL forms of the same rules (`visible_sql`, `visits.unread_condition`) and the tags as
    arrays, in constant SQL built into rows without the ORM (`list_rows_sql`). Building the
    ORM forms cost more than running them."""
    where, params = "TRUE", []  # type: tuple[str, list]
    if not proven_visible:
        where, params = visible_threads_condition(viewer)
    return list_rows_sql.build_rows(
        list_rows_sql.rows_by_id(viewer, pks, where=where, params=params)
    )


def _tag_arrays() -> dict:
    return {
        "tag_ids": RawSQL(list_rows_sql.TAG_COLUMN.format("id"), []),  # noqa: S611
        "tag_names": RawSQL(list_rows_sql.TAG_COLUMN.format("name"), []),  # noqa: S611
    }
