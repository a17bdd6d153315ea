"""Notification emails and scheduled prompts."""

from celery import shared_task

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
