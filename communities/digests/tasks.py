"""Celery tasks of the digests: thin, idempotent wrappers around the services."""

import smtplib
import uuid

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from communities.digests import escalation, schedule, services
from communities.digests.models import DigestKind


@shared_task(acks_late=True)
def send_due_digests(force: bool = False) -> int:
    """Split every member whose daily or weekly digest is due into batches that workers
    share. Returns the number of batches queued. Running it twice queues batches that find
    their members claimed and send nothing."""
    now = timezone.now()
    size = settings.TRELLIS_DIGESTS_BATCH_SIZE
    queued = 0
    for kind in DigestKind.values:
        for period, member_ids in schedule.due_digest_members(
            kind=kind, now=now, force=force
        ).items():
            for start in range(0, len(member_ids), size):
                send_digest_batch.delay(kind, period, member_ids[start : start + size])
                queued += 1
    return queued


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=5,
    time_limit=300,
    soft_time_limit=240,
)
def send_digest_batch(self, kind: str, period: str, member_ids: list[int]) -> dict:
    """One batch of digests. The claim token is the task's id, so a redelivery of this same
    task (after its worker died) or a retry resumes the batch where it stopped."""
    token = self.request.id or uuid.uuid4().hex
    try:
        result = services.send_digest_batch(
            kind=kind, period=period, member_ids=member_ids, claim_token=token
        )
    except (smtplib.SMTPException, ConnectionError, TimeoutError) as error:
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
    return {"sent": result.sent, "skipped": result.skipped, "elsewhere": result.elsewhere}


@shared_task(acks_late=True)
def escalate_unanswered_questions() -> int:
    return escalation.escalate_unanswered_questions()


@shared_task(bind=True, acks_late=True, max_retries=5, time_limit=60, soft_time_limit=50)
def send_escalation_email(self, delivery_id: int) -> bool:
    try:
        return escalation.send_escalation_email(delivery_id=delivery_id)
    except (smtplib.SMTPException, ConnectionError, TimeoutError) as error:
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
