"""The daily health snapshot job: batches of community ids that several workers share."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from communities.health.services import take_snapshots
from communities.models import Community


def batch_size() -> int:
    return getattr(settings, "TRELLIS_HEALTH_BATCH_SIZE", 100)


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def snapshot_all_communities(day: str | None = None) -> int:
    """Queue one batch task per `TRELLIS_HEALTH_BATCH_SIZE` communities for `day` (ISO date;
    yesterday, the last whole day, when not given). Returns the number of batches."""
    day = day or (timezone.now().astimezone(dt.UTC).date() - dt.timedelta(days=1)).isoformat()
    ids = list(Community.objects.order_by("pk").values_list("pk", flat=True))
    size = batch_size()
    batches = [ids[start : start + size] for start in range(0, len(ids), size)]
    for batch in batches:
        snapshot_communities.delay(batch, day)
    return len(batches)


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def snapshot_communities(community_ids: list[int], day: str) -> int:
    """Take (or retake) `day`'s snapshot of these communities; running it twice is harmless."""
    return take_snapshots(community_ids=community_ids, day=dt.date.fromisoformat(day))
