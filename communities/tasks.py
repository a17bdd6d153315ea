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


def _absolute(path: str) -> str:
    from django.conf import settings

    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _mail_once(key: str) -> bool:
    """True the first time for `key`: a task that runs twice sends its email once."""
    from django.core.cache import cache

    return cache.add(f"mailed:{key}", 1, timeout=60 * 60 * 24 * 30)


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def send_join_decision(join_request_id: int) -> bool:
    """Tell the requester whether a manager approved or declined their join request."""
    from django.core.mail import send_mail
    from django.urls import reverse

    from communities.models import JoinRequest
    from communities.models.joining import JoinRequestStatus

    join_request = (
        JoinRequest.objects.select_related("user", "community").filter(pk=join_request_id).first()
    )
    decided = (JoinRequestStatus.APPROVED, JoinRequestStatus.DECLINED)
    if join_request is None or join_request.status not in decided:
        return False
    if not _mail_once(f"join-decision:{join_request.pk}"):
        return False
    community = join_request.community
    url = _absolute(reverse("communities:community-detail", args=[community.slug]))
    if join_request.status == JoinRequestStatus.APPROVED:
        subject = f"Welcome to {community.name}"
        body = f"Your request to join {community.name} was approved. Come in: {url}"
    else:
        subject = f"Your request to join {community.name}"
        body = f"A manager of {community.name} declined your request to join."
    if join_request.decision_message:
        body += f"\n\nTheir message:\n{join_request.decision_message}"
    send_mail(subject, body, None, [join_request.user.email])
    return True


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def send_invitation(invitation_id: int) -> bool:
    """Email a direct invitation to the person it names."""
    from django.core.mail import send_mail
    from django.urls import reverse

    from communities.models import Invitation
    from communities.services.joining import invitation_problem, signed_invitation

    invitation = (
        Invitation.objects.select_related("community", "invitee", "created_by")
        .filter(pk=invitation_id, invitee__isnull=False)
        .first()
    )
    if invitation is None or invitation_problem(invitation):
        return False
    if not _mail_once(f"invitation:{invitation.pk}"):
        return False
    community = invitation.community
    url = _absolute(reverse("communities:invitation-accept", args=[signed_invitation(invitation)]))
    inviter = invitation.created_by.public_name if invitation.created_by else "A manager"
    body = (
        f"{inviter} invited you to join {community.name} on Trellis.\n\n"
        f"{community.purpose}\n\nRead its guidelines and accept here: {url}\n"
        f"The invitation works until {invitation.expires_at:%d %B %Y}."
    )
    send_mail(f"An invitation to {community.name}", body, None, [invitation.invitee.email])
    return True


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


# Notifications and prompts ---------------------------------------------------------------


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


# Registered here so the worker's autodiscovery finds the moderation tasks too.
from communities.tasks_moderation import send_moderation_notice  # noqa: E402, F401
