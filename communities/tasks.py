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


# Registered here so the worker's autodiscovery finds the moderation tasks too.
from communities.tasks_moderation import send_moderation_notice  # noqa: E402, F401
