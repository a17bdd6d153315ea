"""Notification emails, scheduled prompts and the rising stars' roll-up."""

from celery import shared_task
from django.conf import settings

from communities.core.models.communities import Community
from communities.discussions.services import contributions
from communities.discussions.services.notification_emails import send_notification_email as send
from communities.discussions.services.prompts import due_prompt_ids, publish_prompt


@shared_task(
    name="communities.tasks.send_notification_email",
    acks_late=True,
    soft_time_limit=50,
    time_limit=60,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_notification_email(notification_id: int) -> bool:
    """Email one notification; sends at most once however often it runs."""
    return send(notification_id=notification_id)


@shared_task(
    name="communities.tasks.publish_due_prompts",
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
)
def publish_due_prompts() -> int:
    """Turn every scheduled prompt whose time has come into a thread. Each prompt is claimed
    on its own, so overlapping runs share the work and publish each prompt once."""
    published = 0
    for prompt_id in due_prompt_ids():
        prompt = publish_prompt(prompt_id=prompt_id)
        published += bool(prompt and prompt.published_thread_id)
    return published


def _rollup_batch_size() -> int:
    return settings.TRELLIS_ROLLUP_BATCH_SIZE


@shared_task(
    name="communities.tasks.roll_up_all_contributions",
    acks_late=True,
    soft_time_limit=540,
    time_limit=600,
)
def roll_up_all_contributions(full: bool = False) -> int:
    """Queue one roll-up per batch of communities (the rising stars' counts): hourly from
    each community's last run, nightly (`full`) over the whole window. Returns the batches."""
    ids = list(Community.objects.order_by("pk").values_list("pk", flat=True))
    size = _rollup_batch_size()
    batches = [ids[start : start + size] for start in range(0, len(ids), size)]
    for batch in batches:
        roll_up_contributions.delay(batch, full)
    return len(batches)


@shared_task(
    name="communities.tasks.roll_up_contributions",
    acks_late=True,
    soft_time_limit=540,
    time_limit=600,
)
def roll_up_contributions(community_ids: list[int], full: bool = False) -> int:
    """Re-roll these communities' counts; running it twice, or twice at once, is harmless."""
    return contributions.roll_up(community_ids=community_ids, full=full)
