"""Mentoring's Celery tasks: thin, idempotent wrappers around services, taking ids."""

from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def send_notice(notice_id: int) -> bool:
    from .services.notices import send_notice_email

    return send_notice_email(notice_id=notice_id)


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def send_mentoring_nudges() -> dict:
    from .services.nudges import run_daily_nudges

    return run_daily_nudges()


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def propose_buddies_for(membership_id: int) -> int:
    from communities.models import Membership

    from .services.pairings import propose_buddy

    membership = Membership.objects.select_related("user").filter(pk=membership_id).first()
    return len(propose_buddy(membership=membership)) if membership else 0


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def pause_for_departure(membership_id: int) -> int:
    from communities.models import Membership

    from .services.pairings import pause_for_departed_member

    membership = Membership.objects.filter(pk=membership_id).first()
    return pause_for_departed_member(membership=membership) if membership else 0
