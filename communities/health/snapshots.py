"""Gathering one day's numbers for a batch of communities.

A fixed number of queries per batch, whatever the number of communities, members or posts in
it: each query reads one kind of row for the whole batch, and the measures are computed in
Python by the pure functions of `metrics` and `network`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Max, Min
from django.utils import timezone

from communities.health.history import (
    MembershipChange,
    MembershipRecord,
    accepted_at,
    is_active_at,
    state_at,
)
from communities.health.metrics import (
    Question,
    burstiness,
    contributor_turnover,
    median_first_answer_hours,
    participation_split,
    share,
    unanswered_after,
)
from communities.health.network import (
    ACCEPTED_WEIGHT,
    ANONYMOUS,
    REPLY_WEIGHT,
    THANKS_WEIGHT,
    Help,
    measure_network,
)
from communities.models import (
    AcceptedAnswerChange,
    Community,
    HealthSnapshot,
    MeetingParticipation,
    Membership,
    MembershipStateChange,
    Post,
    Thanks,
    Thread,
    Vote,
)
from communities.public import Role, ThreadKind

WINDOW_DAYS = 30
LEADER_ROLES = (Role.MANAGER, Role.MODERATOR)


def day_end(day: dt.date) -> dt.datetime:
    """The first instant after `day` (UTC): a snapshot counts what happened before it."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)


@dataclass
class _Gathered:
    """What one community did in the window, as plain data."""

    posts_by: Counter = field(default_factory=Counter)
    actors: set = field(default_factory=set)
    # Actors seen outside their own anonymous questions: only they may be named isolated,
    # or naming someone who only asked anonymously would give the question away.
    seen: set = field(default_factory=set)
    threads_week: int = 0
    replies_week: int = 0
    leader_posts: int = 0
    posts: int = 0
    questions: dict = field(default_factory=dict)  # thread id -> [asked_at, asker, replies]
    accepted: int = 0
    helps: list = field(default_factory=list)
    attendance: int = 0
    daily_posts: list = field(default_factory=lambda: [0] * WINDOW_DAYS)
    first_and_last: dict = field(default_factory=dict)  # author -> (first, last) before end


def gather_snapshots(community_ids: Sequence[int], day: dt.date) -> list[HealthSnapshot]:
    """Unsaved snapshots of `day` for the communities in `community_ids` (12 queries)."""
    end = day_end(day)
    since, week = end - dt.timedelta(days=WINDOW_DAYS), end - dt.timedelta(days=7)
    communities = dict(
        Community.objects.filter(pk__in=community_ids).values_list("pk", "created_at")
    )
    ids = list(communities)
    gathered = {pk: _Gathered() for pk in ids}

    # Who was a member, and who led, at the end of the day: each membership's row and the
    # changes of status and role logged since (so later joins, leaves and appointments
    # don't change a past day).
    changes = defaultdict(list)
    for membership_id, *values in MembershipStateChange.objects.filter(
        membership__community_id__in=ids
    ).values_list(
        "membership_id", "changed_at", "status_before", "role_before", "status_after", "role_after"
    ):
        at, status_before, role_before, status_after, role_after = values
        changes[membership_id].append(
            MembershipChange(at, (status_before, role_before), (status_after, role_after))
        )
    records = defaultdict(list)
    for pk, community_id, user_id, joined_at, status, role, updated_at in Membership.objects.filter(
        community_id__in=ids, joined_at__lt=end
    ).values_list("pk", "community_id", "user_id", "joined_at", "status", "role", "updated_at"):
        records[community_id].append(
            MembershipRecord(
                user_id,
                joined_at,
                status,
                role,
                updated_at,
                sorted(changes.get(pk, []), key=lambda change: change.at),
            )
        )
    counts, leaders = {}, defaultdict(set)
    for community_id, rows in records.items():
        members = new_members = members_left = 0
        for record in rows:
            now_in, was_in = is_active_at(record, end), is_active_at(record, week)
            members += now_in
            new_members += now_in and not was_in
            members_left += was_in and not now_in
            if now_in and state_at(record, end)[1] in LEADER_ROLES:
                leaders[community_id].add(record.user_id)
        counts[community_id] = {
            "members": members,
            "new_members": new_members,
            "members_left": members_left,
        }

    # Which reply was accepted at the end of the day (a change before the window already
    # shows in the current value unless a later change follows).
    accepted_changes = defaultdict(list)
    for thread_id, at, before, after in AcceptedAnswerChange.objects.filter(
        thread__community_id__in=ids, changed_at__gte=since
    ).values_list("thread_id", "changed_at", "post_before_id", "post_after_id"):
        accepted_changes[thread_id].append((at, before, after))
    for thread_changes in accepted_changes.values():
        thread_changes.sort(key=lambda change: change[0])

    for row in Thread.objects.filter(
        community_id__in=ids, created_at__gte=since, created_at__lt=end
    ).values_list(
        "pk",
        "community_id",
        "author_id",
        "kind",
        "created_at",
        "accepted_answer_id",
        "accepted_answer__created_at",
        "is_anonymous",
    ):
        pk, community_id, author_id, kind, created_at, accepted_id, accepted_created_at = row[:7]
        data = gathered[community_id]
        _count_post(data, author_id, created_at, since, week, leaders[community_id], thread=True)
        if not row[7]:
            data.seen.add(author_id)
        if kind == ThreadKind.QUESTION:
            data.questions[pk] = [created_at, author_id, []]
            if pk not in accepted_changes and accepted_created_at and accepted_created_at >= end:
                accepted_id = None  # accepted later than the day, recorded before the log
            data.accepted += accepted_at(accepted_id, accepted_changes.get(pk, ()), end) is not None

    for row in Post.objects.filter(
        thread__community_id__in=ids, created_at__gte=since, created_at__lt=end
    ).values_list(
        "pk",
        "thread_id",
        "thread__community_id",
        "author_id",
        "created_at",
        "thread__author_id",
        "thread__is_anonymous",
        "thread__accepted_answer_id",
        "parent__author_id",
    ):
        pk, thread_id, community_id, author_id, created_at = row[:5]
        asker_id, is_anonymous, accepted_id, parent_author_id = row[5:]
        data = gathered[community_id]
        accepted_id = accepted_at(accepted_id, accepted_changes.get(thread_id, ()), end)
        _count_post(data, author_id, created_at, since, week, leaders[community_id], thread=False)
        if not (is_anonymous and author_id == asker_id):
            data.seen.add(author_id)
        if thread_id in data.questions:
            data.questions[thread_id][2].append((author_id, created_at))
        helped = parent_author_id or asker_id
        if is_anonymous and helped == asker_id:
            helped = ANONYMOUS  # the asker's account is never a node of the network
        if (
            author_id is not None
            and helped is not None
            and not (is_anonymous and author_id == asker_id)
        ):
            weight = ACCEPTED_WEIGHT if pk == accepted_id else REPLY_WEIGHT
            data.helps.append(Help(author_id, helped, weight))

    for community_id, user_id in (
        Vote.objects.filter(
            post__thread__community_id__in=ids, created_at__gte=since, created_at__lt=end
        )
        .values_list("post__thread__community_id", "user_id")
        .distinct()
    ):
        gathered[community_id].actors.add(user_id)
        gathered[community_id].seen.add(user_id)

    for community_id, user_id, helper_id, is_anonymous, asker_id in Thanks.objects.filter(
        post__thread__community_id__in=ids, created_at__gte=since, created_at__lt=end
    ).values_list(
        "post__thread__community_id",
        "user_id",
        "post__author_id",
        "post__thread__is_anonymous",
        "post__thread__author_id",
    ):
        if helper_id is not None:
            # A thank-you from an anonymous asker still must not name them.
            thanked_by = ANONYMOUS if is_anonymous and user_id == asker_id else user_id
            gathered[community_id].helps.append(
                Help(helper_id, thanked_by, THANKS_WEIGHT, is_answer=False)
            )

    for community_id, user_id in MeetingParticipation.objects.filter(
        meeting__circle__community_id__in=ids,
        attended=True,
        meeting__starts_at__gte=since,
        meeting__starts_at__lt=end,
    ).values_list("meeting__circle__community_id", "user_id"):
        gathered[community_id].actors.add(user_id)
        gathered[community_id].seen.add(user_id)
        gathered[community_id].attendance += 1

    # Each contributor's first and last thread or reply before the end of the day (CHAOSS
    # new and inactive contributors).
    for model, community_field in ((Thread, "community_id"), (Post, "thread__community_id")):
        for community_id, author_id, first, last in (
            model.objects.filter(
                **{f"{community_field}__in": ids}, created_at__lt=end, author__isnull=False
            )
            .values(community_field, "author_id")
            .annotate(first=Min("created_at"), last=Max("created_at"))
            .values_list(community_field, "author_id", "first", "last")
        ):
            known = gathered[community_id].first_and_last
            earlier = known.get(author_id, (first, last))
            known[author_id] = (min(first, earlier[0]), max(last, earlier[1]))

    return [
        _snapshot(
            pk, day, since, end, communities[pk], counts.get(pk, {}), leaders[pk], gathered[pk]
        )
        for pk in ids
    ]


def _count_post(data: _Gathered, author_id, created_at, since, week, leaders: set, *, thread: bool):
    data.posts += 1
    data.daily_posts[min(WINDOW_DAYS - 1, (created_at - since).days)] += 1
    if author_id is not None:
        data.posts_by[author_id] += 1
        data.actors.add(author_id)
        data.leader_posts += author_id in leaders
    if created_at >= week:
        if thread:
            data.threads_week += 1
        else:
            data.replies_week += 1


def _snapshot(pk, day, since, end, created_at, counts, leaders, data: _Gathered) -> HealthSnapshot:
    questions = [
        Question(asked_at, asker_id, tuple(replies))
        for asked_at, asker_id, replies in data.questions.values()
    ]
    answered = first_by_members = 0
    for question in questions:
        first = min(
            (
                (at, author)
                for author, at in question.replies
                if author is not None and author != question.asker_id
            ),
            default=None,
        )
        if first is not None:
            answered += 1
            first_by_members += first[1] not in leaders
    split = participation_split(data.actors, data.posts_by)
    network = measure_network(data.helps, data.actors & data.seen)
    turnover = contributor_turnover(data.first_and_last, since=since, end=end)
    return HealthSnapshot(
        community_id=pk,
        taken_on=day,
        age_days=max(0, (day - timezone.localtime(created_at, dt.UTC).date()).days),
        members=counts.get("members", 0),
        new_members=counts.get("new_members", 0),
        members_left=counts.get("members_left", 0),
        active_members=split.total,
        lurkers=split.lurkers,
        contributors=split.contributors,
        creators=split.creators,
        threads_week=data.threads_week,
        replies_week=data.replies_week,
        questions_asked=len(questions),
        questions_answered=answered,
        questions_accepted=data.accepted,
        median_first_answer_hours=median_first_answer_hours(questions),
        unanswered_24h=unanswered_after(questions, now=end),
        leader_post_share=share(data.leader_posts, data.posts),
        answered_by_members_share=share(first_by_members, answered),
        circle_attendance=data.attendance,
        new_contributors=turnover.new,
        inactive_contributors=turnover.inactive,
        burstiness=burstiness(data.daily_posts),
        network=network.as_dict(),
    )
