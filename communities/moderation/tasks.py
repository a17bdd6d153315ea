"""Emails of moderation notices: the flag outcome to a flagger, the reason to an author."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from communities.moderation.models import ModerationNotice


@shared_task(
    name="communities.tasks_moderation.send_moderation_notice",
    acks_late=True,
    soft_time_limit=50,
    time_limit=60,
)
def send_moderation_notice(notice_id: int) -> bool:
    """Email one notice to its recipient, once: the claim on `emailed_at` makes a second run
    (or a concurrent one) send nothing."""
    claimed = ModerationNotice.objects.filter(pk=notice_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    notice = ModerationNotice.objects.select_related("recipient", "community").get(pk=notice_id)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    link = f"{base}{reverse('communities:moderation-outcomes')}"
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notice.subject}",
        message=f"{notice.body}\n\nSee all moderation news about you: {link}\n",
        from_email=None,
        recipient_list=[notice.recipient.email],
    )
    return True
