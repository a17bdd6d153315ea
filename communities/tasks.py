from celery import shared_task
from django.db.models import Count, Q

from communities.models import Circle, Community
from communities.models.circles import CircleStatus
from communities.models.communities import MembershipStatus
from communities.services.circles import generate_meetings
from communities.services.reminders import meetings_due_for_reminders
from communities.services.reminders import send_reminders_for_meeting as send_reminders


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def refresh_member_count(community_id: int) -> int:
    """Store the number of active members on the community row; safe to run any time."""
    count = Community.objects.filter(pk=community_id).aggregate(
        n=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE))
    )["n"]
    Community.objects.filter(pk=community_id).update(member_count=count)
    return count


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def refresh_all_member_counts() -> int:
    ids = list(Community.objects.values_list("pk", flat=True))
    for community_id in ids:
        refresh_member_count.delay(community_id)
    return len(ids)


CIRCLE_BATCH_SIZE = 100


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def generate_meetings_for_circles(circle_ids: list[int]) -> int:
    """Keep the next meetings of these circles planned; forming or closed ones are skipped."""
    created = 0
    for circle in Circle.objects.filter(pk__in=circle_ids, status=CircleStatus.ACTIVE):
        created += len(generate_meetings(circle=circle))
    return created


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
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
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_reminders_for_meeting(meeting_id: int) -> int:
    return send_reminders(meeting_id=meeting_id)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def send_meeting_reminders() -> int:
    """Remind the members of every meeting starting in the next 24 hours, once each."""
    ids = meetings_due_for_reminders()
    for meeting_id in ids:
        send_reminders_for_meeting.delay(meeting_id)
    return len(ids)
