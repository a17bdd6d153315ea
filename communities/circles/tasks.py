"""Meeting planning and reminders."""

from celery import shared_task

from communities.circles.models import Circle, CircleStatus
from communities.circles.services.circles import generate_meetings
from communities.circles.services.circles import (
    release_held_of_established_accounts as release_held,
)
from communities.circles.services.reminders import meetings_due_for_reminders
from communities.circles.services.reminders import send_reminders_for_meeting as send_reminders

CIRCLE_BATCH_SIZE = 100


@shared_task(
    name="communities.tasks.generate_meetings_for_circles",
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
)
def generate_meetings_for_circles(circle_ids: list[int]) -> int:
    """Keep the next meetings of these circles planned; forming or closed ones are skipped."""
    created = 0
    for circle in Circle.objects.filter(pk__in=circle_ids, status=CircleStatus.ACTIVE):
        created += len(generate_meetings(circle=circle))
    return created


@shared_task(
    name="communities.tasks.generate_upcoming_meetings",
    acks_late=True,
    soft_time_limit=540,
    time_limit=600,
)
def generate_upcoming_meetings() -> int:
    """Plan meetings ahead for every active circle, in batches that workers share."""
    ids = list(
        Circle.objects.filter(status=CircleStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), CIRCLE_BATCH_SIZE):
        generate_meetings_for_circles.delay(ids[start : start + CIRCLE_BATCH_SIZE])
    return len(ids)


@shared_task(
    name="communities.tasks.send_reminders_for_meeting",
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_reminders_for_meeting(meeting_id: int) -> int:
    return send_reminders(meeting_id=meeting_id)


@shared_task(
    name="communities.tasks.send_meeting_reminders",
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
)
def send_meeting_reminders() -> int:
    """Remind the members of every meeting starting in the next 24 hours, once each."""
    ids = meetings_due_for_reminders()
    for meeting_id in ids:
        send_reminders_for_meeting.delay(meeting_id)
    return len(ids)


@shared_task(
    name="communities.tasks.release_held_of_established_accounts",
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
)
def release_held_of_established_accounts() -> int:
    """Show anonymous visitors what creators who have become established started."""
    return release_held()
