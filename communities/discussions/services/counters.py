"""The counters list rows show (`Thread.reply_count`, `answer_count`, `total_votes`), moved
by F() expressions inside the transaction of the write that changes them, so no request
recounts a thread. One rule for every viewer: replies hidden by the moderators are not
counted, nor their votes.

Writers lock the thread before its reply (as `posts.reply` and the moderation actions do),
so a vote and a hide of the same reply queue behind each other instead of deadlocking.
`drift` and `recount` compare with (and restore) a fresh count: `manage.py recount_threads`.
"""

from datetime import datetime

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from communities.discussions.models.threads import Post, Thread


def reply_added(*, thread_id: int, is_answer: bool, at: datetime) -> None:
    """A new (visible) reply: counted, and the thread's activity moves to `at`."""
    Thread.objects.filter(pk=thread_id).update(
        reply_count=F("reply_count") + 1,
        answer_count=F("answer_count") + int(is_answer),
        last_activity_at=at,
    )


def _shift(post: Post, sign: int) -> None:
    Thread.objects.filter(pk=post.thread_id).update(
        reply_count=F("reply_count") + sign,
        answer_count=F("answer_count") + (sign if post.parent_id is None else 0),
        total_votes=F("total_votes") + sign * post.vote_count,
    )


def reply_hidden_changed(*, post_id: int, hidden: bool) -> None:
    """After the reply's `is_hidden` changed to `hidden` (in the same transaction): take it,
    with its votes, out of its thread's counts, or put it back."""
    post = Post.objects.only("thread_id", "parent_id", "vote_count").get(pk=post_id)
    _shift(post, -1 if hidden else 1)


def on_reply_deleted(sender, instance: Post, **kwargs) -> None:
    """`post_delete` of a reply (the admin, or with its answer or thread), in the deleting
    transaction: uncount it if it counted. When the thread goes too this updates nothing."""
    if not instance.is_hidden:
        _shift(instance, -1)


def votes_changed(*, thread_id: int, delta: int) -> None:
    Thread.objects.filter(pk=thread_id).update(total_votes=F("total_votes") + delta)


def _fresh(aggregate, condition: Q):
    rows = (
        Post.objects.filter(condition, thread=OuterRef("pk"), is_hidden=False)
        .order_by()
        .values("thread")
        .annotate(n=aggregate)
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _replies():
    return _fresh(Count("pk"), Q())


def _answers():
    return _fresh(Count("pk"), Q(parent__isnull=True))


def _votes():
    return _fresh(Sum("vote_count"), Q())


def _threads(thread_ids) -> QuerySet[Thread]:
    return Thread.objects.all() if thread_ids is None else Thread.objects.filter(pk__in=thread_ids)


def drift(thread_ids=None) -> list[dict]:
    """Threads whose counters differ from a fresh count: id, stored and fresh values."""
    rows = (
        _threads(thread_ids)
        .annotate(fresh_replies=_replies(), fresh_answers=_answers(), fresh_votes=_votes())
        .exclude(
            reply_count=F("fresh_replies"),
            answer_count=F("fresh_answers"),
            total_votes=F("fresh_votes"),
        )
        .order_by("pk")
        .values(
            "pk",
            "reply_count",
            "fresh_replies",
            "answer_count",
            "fresh_answers",
            "total_votes",
            "fresh_votes",
        )
    )
    return [dict(row) for row in rows]


def recount(thread_ids=None) -> int:
    """Set the counters of the given threads (all when None) to a fresh count, in one
    statement; returns how many threads were written."""
    return _threads(thread_ids).update(
        reply_count=_replies(), answer_count=_answers(), total_votes=_votes()
    )
