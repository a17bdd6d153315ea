"""What counts toward a community's rising stars, in one place for the page (today's part,
counted live) and the job that rolls up the rest (`services/contributions.py`).

A question counts for its asker and a reply for its author, in threads outside circles
(private to their circle) that are not hidden, unless the post is hidden, the question is
anonymous, or the reply is the asker's own in their anonymous question (it would name
them). Whether the author is an active member is asked when the counts are read.
"""

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import F, QuerySet
from django.utils import timezone

from communities.discussions.models.threads import Post, Thread, ThreadKind

RISING_STAR_DAYS = 30


def window_start(now: datetime | None = None) -> datetime:
    """The first moment that counts: midnight (UTC) `RISING_STAR_DAYS` days before today, so
    the window is today and the 30 whole days before it, the same in rows and live counts."""
    today = (now or timezone.now()).astimezone(UTC).date()
    return day_start(today - timedelta(days=RISING_STAR_DAYS))


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def counted_questions(*, community_ids, since: datetime, until: datetime | None = None):
    found = Thread.objects.filter(
        community_id__in=community_ids,
        circle__isnull=True,
        kind=ThreadKind.QUESTION,
        is_anonymous=False,
        is_hidden=False,
        author__isnull=False,
        created_at__gte=since,
    )
    return found.filter(created_at__lt=until) if until else found


def counted_answers(*, community_ids, since: datetime, until: datetime | None = None):
    found: QuerySet[Post] = Post.objects.filter(
        thread__community_id__in=community_ids,
        thread__circle__isnull=True,
        thread__is_hidden=False,
        is_hidden=False,
        author__isnull=False,
        created_at__gte=since,
    ).exclude(thread__is_anonymous=True, thread__author=F("author"))
    return found.filter(created_at__lt=until) if until else found
