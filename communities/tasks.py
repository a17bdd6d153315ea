from celery import shared_task
from django.db.models import Count, Q

from communities.models import Community
from communities.models.communities import MembershipStatus


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


# Notifications and prompts ---------------------------------------------------------------


@shared_task(
    acks_late=True,
    soft_time_limit=50,
    time_limit=60,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_notification_email(notification_id: int) -> bool:
    """Email one notification; sends at most once however often it runs."""
    from communities.services.notification_emails import send_notification_email as send

    return send(notification_id=notification_id)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def publish_due_prompts() -> int:
    """Turn every scheduled prompt whose time has come into a thread. Each prompt is claimed
    on its own, so overlapping runs share the work and publish each prompt once."""
    from communities.services.prompts import due_prompt_ids, publish_prompt

    published = 0
    for prompt_id in due_prompt_ids():
        prompt = publish_prompt(prompt_id=prompt_id)
        published += bool(prompt and prompt.published_thread_id)
    return published
