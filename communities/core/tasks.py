"""Member counts and the emails of joining: each task takes ids, loads fresh rows through a
service and can run twice without doing anything twice."""

from celery import shared_task
from django.conf import settings

from communities.core.services import joining, membership, submissions


@shared_task(
    name="communities.tasks.refresh_member_count",
    acks_late=True,
    soft_time_limit=50,
    time_limit=60,
)
def refresh_member_count(community_id: int) -> int:
    """Store the number of active members on the community row; safe to run any time."""
    return membership.refresh_member_count(community_id=community_id)


@shared_task(
    name="communities.tasks.refresh_all_member_counts",
    acks_late=True,
    soft_time_limit=540,
    time_limit=600,
)
def refresh_all_member_counts() -> int:
    ids = membership.all_community_ids()
    for community_id in ids:
        refresh_member_count.delay(community_id)
    return len(ids)


@shared_task(
    name="communities.tasks.send_join_decision",
    acks_late=True,
    soft_time_limit=50,
    time_limit=60,
)
def send_join_decision(join_request_id: int) -> bool:
    """Tell the requester whether a manager approved or declined their join request."""
    return joining.send_join_decision_email(join_request_id=join_request_id)


@shared_task(
    name="communities.tasks.send_invitation",
    acks_late=True,
    soft_time_limit=50,
    time_limit=60,
)
def send_invitation(invitation_id: int) -> bool:
    """Email a direct invitation to the person it names."""
    return joining.send_invitation_email(invitation_id=invitation_id)


@shared_task(
    name="communities.tasks.forget_old_form_submissions",
    acks_late=True,
    soft_time_limit=540,
    time_limit=600,
)
def forget_old_form_submissions() -> int:
    """Keep the form-claim table small: a claim only matters while its page may be resent."""
    return submissions.forget_old_submissions(older_than_days=settings.TRELLIS_FORM_SUBMISSION_DAYS)
