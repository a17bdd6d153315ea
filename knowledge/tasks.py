"""Knowledge base jobs: scheduled publishing, "source changed" marking, review emails."""

from celery import shared_task
from django.core.management import call_command

from knowledge import freshness

TASK_OPTIONS = {"acks_late": True, "time_limit": 600, "soft_time_limit": 540}


@shared_task(**TASK_OPTIONS)
def publish_scheduled_pages() -> None:
    """Wagtail's scheduled go-live and expiry; safe to run twice (it only acts on due pages)."""
    call_command("publish_scheduled")


@shared_task(**TASK_OPTIONS)
def mark_changed_sources() -> int:
    return freshness.mark_changed_sources()


@shared_task(**TASK_OPTIONS)
def send_review_reminders() -> int:
    """Claim this week's reminders and queue one email per owner."""
    owners = freshness.claim_review_reminders()
    for owner_id in owners:
        send_owner_review_email.delay(owner_id)
    return len(owners)


@shared_task(**TASK_OPTIONS)
def send_owner_review_email(owner_id: int) -> int:
    return freshness.send_review_email(owner_id=owner_id)


@shared_task(**TASK_OPTIONS)
def notify_followers(article_id: int, revision_id: int, event: str) -> int:
    """Email the followers of a published or obsoleted article; each event once."""
    from knowledge import following

    return following.notify_followers(article_id=article_id, event=event, revision_id=revision_id)
