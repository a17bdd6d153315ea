"""Emails of moderation notices: the flag outcome to a flagger, the reason to an author."""

from celery import shared_task

from communities.moderation.services.notices import send_notice_email


@shared_task(
    name="communities.tasks_moderation.send_moderation_notice",
    acks_late=True,
    soft_time_limit=50,
    time_limit=60,
)
def send_moderation_notice(notice_id: int) -> bool:
    """Email one notice to its recipient, once."""
    return send_notice_email(notice_id=notice_id)
