"""Emails about rounds, each sent once: a `Notice` row per (round, person, kind, key)."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from communities.models import User
from communities.public import notify, send_member_email, send_once, zone_of
from feedback.models import Notice


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def due_for(user: User, moment) -> str:
    """A deadline as its recipient reads it: in their own zone, named. Callers load the
    person with their rows (select_related), so a job's loop reads no one twice."""
    local = moment.astimezone(zone_of(user))
    return f"{local:%d %b %Y %H:%M} ({local.tzinfo.key})"


def queue_notice(*, round_, user_id: int, kind: str, key: str, subject: str, body: str) -> bool:
    """Record the notice (inside the caller's transaction) and send it after commit; False
    when it was already recorded, so a job that runs twice sends nothing twice. The text
    names no other person: it is safe under every anonymity mode. The subject is also a notice
    on the person's notifications page."""
    notice, created = Notice.objects.get_or_create(
        round=round_,
        user_id=user_id,
        kind=kind,
        key=key,
        defaults={"subject": subject[:200], "body": body},
    )
    if created:
        # The same line on their notifications page, linking to their reviews page (where
        # each of these is acted on), once per notice like the email.
        notify(
            notice.user,
            event=f"feedback:{notice.pk}",
            message=subject[:200],
            url=reverse("feedback:my-reviews"),
        )
        from feedback.tasks import send_notice

        transaction.on_commit(lambda: send_notice.delay(notice.pk))
    return created


def round_link(round_) -> str:
    return absolute(reverse("feedback:round-detail", args=[round_.pk]))


def my_reviews_link() -> str:
    return absolute(reverse("feedback:my-reviews"))


def send_notice_now(notice_id: int) -> bool:
    """Send the notice once (communities' `send_once`: a second run finds it claimed, and a
    failed send gives the claim back for the retry); False when it was already sent, the
    person has no email address or turned these emails off."""
    sent = []

    def send() -> None:
        notice = Notice.objects.select_related("user").get(pk=notice_id)
        subject = f"[Trellis] {notice.subject}"
        if send_member_email(
            user=notice.user, kind="peer_review", subject=subject, text=notice.body
        ):
            sent.append(notice.pk)

    return send_once(Notice, notice_id, field="sent_at", send=send) and bool(sent)
