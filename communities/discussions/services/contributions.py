"""The rising stars' roll-up: per community, member and day, the questions and answers that
count (the rules are `selectors/contributions.py`), written by jobs so the community page
reads at most 31 rows per member and counts live only what came after the last run.

A run re-rolls a batch of communities from the day of their last run (or, with `full`, the
whole window: that is how hidden, restored, moved and deleted posts leave the rows) up to a
few minutes ago, and moves their mark to that moment. Runs over the same communities queue
behind the lock on their marks, so two at once write the same rows as one.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from communities.core.jobs import enqueue_on_commit
from communities.discussions.models.contributions import ContributionRollup, DailyContribution
from communities.discussions.selectors.contributions import (
    counted_answers,
    counted_questions,
    day_start,
    window_start,
)

# A post is stamped before its transaction commits: a run stops this far behind the clock
# so what commits late is still counted live by the page, not lost between the two.
SETTLE = timedelta(minutes=5)


def roll_up(
    *,
    community_ids: list[int],
    full: bool = False,
    now: datetime | None = None,
    settle: timedelta = SETTLE,
) -> int:
    """Re-roll these communities' counts; the same rows however often it runs. Returns the
    number of rows written. Seven queries whatever the number of communities or posts."""
    until = (now or timezone.now()) - settle
    start = window_start(until)
    with transaction.atomic():
        ContributionRollup.objects.bulk_create(
            [ContributionRollup(community_id=pk) for pk in community_ids], ignore_conflicts=True
        )
        marks = list(
            ContributionRollup.objects.select_for_update()
            .filter(community_id__in=community_ids)
            .order_by("community_id")
            .values_list("counted_until", flat=True)
        )
        first_day = start.date()
        if not full and marks and all(mark is not None for mark in marks):
            oldest = min(mark for mark in marks if mark is not None)
            first_day = max(first_day, oldest.astimezone(UTC).date())
        rows = _counts(community_ids, since=day_start(first_day), until=until)
        DailyContribution.objects.filter(
            Q(day__gte=first_day) | Q(day__lt=start.date()), community_id__in=community_ids
        ).delete()
        DailyContribution.objects.bulk_create(rows, batch_size=1000)
        ContributionRollup.objects.filter(community_id__in=community_ids).update(
            counted_until=until
        )
    return len(rows)


def _counts(community_ids: list[int], *, since: datetime, until: datetime):
    counts: dict[tuple[int, int, date], list[int]] = defaultdict(lambda: [0, 0])
    day = TruncDate("created_at", tzinfo=UTC)
    for column, found, community in (
        (
            0,
            counted_questions(community_ids=community_ids, since=since, until=until),
            "community_id",
        ),
        (
            1,
            counted_answers(community_ids=community_ids, since=since, until=until),
            "thread__community_id",
        ),
    ):
        grouped = found.annotate(day=day).values_list(community, "author_id", "day")
        for community_id, author_id, on, n in grouped.annotate(n=Count("pk")).order_by():
            counts[(community_id, author_id, on)][column] = n
    return [
        DailyContribution(community_id=c, user_id=u, day=d, questions=q, answers=a)
        for (c, u, d), (q, a) in counts.items()
    ]


def reroll_later(*, community_id: int) -> None:
    """After a post or thread was hidden, restored or moved: re-roll the whole window of its
    community once the change commits, so the panel stops (or starts again) counting it."""
    enqueue_on_commit("communities.tasks.roll_up_contributions", [community_id], True)
