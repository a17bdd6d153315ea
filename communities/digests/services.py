"""Composing, claiming and sending digests; unsubscribing; escalating unanswered questions.

Exactly once per member and period: a batch first inserts one `DigestDelivery` row per member
(the unique constraint on member, kind and period makes a second batch, beat, enqueue or
worker insert nothing), keeps the rows it inserted by their `claim_token`, and records each
email as sent right after the SMTP server took it. A worker killed mid-batch leaves its rows
claimed: the same task redelivered (same token), or the next run once the claim's lease has
passed, sends them, so only the email in flight at the kill can arrive twice.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import time
from dataclasses import dataclass
from email.utils import formataddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from communities.core.text import header_text
from communities.digests import schedule, selectors, tokens
from communities.digests.models import (
    DeliveryStatus,
    DigestDelivery,
    DigestKind,
    DigestSettings,
    EmailKind,
    Weekday,
)
from communities.models import AuditEntry, User

logger = logging.getLogger(__name__)

# Header text (subjects, display names) is cleaned by the one helper of core.
clean_header = header_text


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    token = tokens.unsubscribe_token(user_id=user_id, kind=kind)
    return selectors.site_url(reverse("digests:unsubscribe", args=[token]))


def settings_url() -> str:
    return selectors.site_url(reverse("digests:settings"))


def unsubscribe_headers(*, user_id: int, kind: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058 headers: mail clients offer one-click unsubscribe."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user_id=user_id, kind=kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def recipient_address(user: User) -> str:
    return formataddr((clean_header(user.public_name, limit=80), user.email))


def digest_subject(digest: selectors.Digest) -> str:
    label = (
        "Your daily Trellis digest" if digest.kind == DigestKind.DAILY else "Your week on Trellis"
    )
    first = next((section.items[0] for section in digest.sections if section.items), None)
    return clean_header(f"{label}: {first.title}" if first else label)


def digest_context(digest: selectors.Digest) -> dict:
    zone = schedule.member_zone(digest.member.timezone)
    return {
        "digest": digest,
        "member": digest.member,
        "sections": [section for section in digest.sections if section.items],
        "since_local": digest.since.astimezone(zone),
        "until_local": digest.until.astimezone(zone),
        "unsubscribe_url": unsubscribe_url(user_id=digest.member.pk, kind=EmailKind.DIGEST),
        "settings_url": settings_url(),
        "site_url": selectors.site_url("/"),
    }


def render_digest(digest: selectors.Digest) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of a digest; rendering reads nothing from the database."""
    context = digest_context(digest)
    return (
        digest_subject(digest),
        render_to_string("communities/digests/email.txt", context),
        render_to_string("communities/digests/email.html", context),
    )


def digest_message(digest: selectors.Digest, *, connection=None) -> EmailMultiAlternatives:
    subject, text, html = render_digest(digest)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[recipient_address(digest.member)],
        headers=unsubscribe_headers(user_id=digest.member.pk, kind=EmailKind.DIGEST),
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


@dataclass
class BatchResult:
    sent: int = 0
    skipped: int = 0
    elsewhere: int = 0  # claimed or delivered by another run


def send_digest_batch(
    *,
    kind: str,
    period: str,
    member_ids: list[int],
    claim_token: str,
    now: datetime.datetime | None = None,
) -> BatchResult:
    """Compose and send the `kind` digests of `period` for `member_ids`, each at most once.

    Queries: a fixed number to read and claim the whole batch, then one UPDATE per email
    sent, recording it right after the SMTP server accepted it. Safe to run again, twice at
    once, or after a crash: see the module's docstring.
    """
    if kind not in DigestKind.values:
        raise ValidationError(f"Unknown digest kind {kind!r}.")
    now = now or timezone.now()
    digests = selectors.digest_batch(kind=kind, member_ids=member_ids, now=now)
    DigestDelivery.objects.bulk_create(
        [
            DigestDelivery(
                member_id=digest.member.pk,
                kind=kind,
                period=period,
                status=DeliveryStatus.SKIPPED if digest.skip_reason else DeliveryStatus.CLAIMED,
                skip_reason=digest.skip_reason,
                claim_token=claim_token,
                claimed_at=now,
            )
            for digest in digests
        ],
        ignore_conflicts=True,
    )
    # Claims left by a worker that died long enough ago are taken over.
    stale = now - datetime.timedelta(seconds=settings.TRELLIS_DIGESTS_CLAIM_LEASE_SECONDS)
    DigestDelivery.objects.filter(
        kind=kind,
        period=period,
        member_id__in=member_ids,
        status=DeliveryStatus.CLAIMED,
        claimed_at__lt=stale,
    ).exclude(claim_token=claim_token).update(claim_token=claim_token, claimed_at=now)
    ours = dict(
        DigestDelivery.objects.filter(
            kind=kind,
            period=period,
            member_id__in=member_ids,
            status__in=[DeliveryStatus.CLAIMED, DeliveryStatus.SKIPPED],
            claim_token=claim_token,
        ).values_list("member_id", "status")
    )
    mine = {member_id for member_id, status in ours.items() if status == DeliveryStatus.CLAIMED}
    result = BatchResult(elsewhere=len(digests) - len(ours))
    # A claim taken over from a dead worker whose member must now be skipped.
    newly_skipped = [d.member.pk for d in digests if d.skip_reason and d.member.pk in mine]
    if newly_skipped:
        DigestDelivery.objects.filter(
            kind=kind, period=period, member_id__in=newly_skipped, claim_token=claim_token
        ).update(status=DeliveryStatus.SKIPPED, skip_reason="changed")
    to_send = [d for d in digests if d.member.pk in mine and not d.skip_reason]
    result.skipped = len(ours) - len(to_send)
    if not to_send:
        return result
    delay = settings.TRELLIS_DIGESTS_SEND_DELAY_SECONDS
    with get_connection() as connection:
        for digest in to_send:
            message = digest_message(digest, connection=connection)
            if delay:
                time.sleep(delay)
            try:
                message.send()
            except smtplib.SMTPRecipientsRefused:
                logger.warning("Digest for member %s refused by the server", digest.member.pk)
                DigestDelivery.objects.filter(
                    kind=kind, period=period, member_id=digest.member.pk, claim_token=claim_token
                ).update(status=DeliveryStatus.SKIPPED, skip_reason="refused")
                result.skipped += 1
                continue
            DigestDelivery.objects.filter(
                kind=kind,
                period=period,
                member_id=digest.member.pk,
                claim_token=claim_token,
                status=DeliveryStatus.CLAIMED,
            ).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
            result.sent += 1
    return result


# --- settings and unsubscribing -----------------------------------------------------------


def update_digest_settings(
    *, user: User, frequency: str, weekday: int, wants_escalations: bool
) -> DigestSettings:
    """Change how often `user` gets a digest, on which weekday, and whether unanswered
    questions reach them. Setting them again clears the bouncing flag: the person says the
    address works."""
    if frequency not in {"daily", "weekly", "never"}:
        raise ValidationError("Choose daily, weekly or never.")
    if weekday not in Weekday.values:
        raise ValidationError("Choose a day of the week.")
    with transaction.atomic(durable=True):
        User.objects.filter(pk=user.pk).update(digest_frequency=frequency)
        digest_settings, _ = DigestSettings.objects.select_for_update().get_or_create(user=user)
        digest_settings.weekday = weekday
        digest_settings.wants_escalations = wants_escalations
        digest_settings.is_bouncing = False
        digest_settings.save(
            update_fields=["weekday", "wants_escalations", "is_bouncing", "updated_at"]
        )
    user.digest_frequency = frequency
    return digest_settings


def unsubscribe(*, token: str) -> tuple[User, str]:
    """Turn off the kind of email the signed `token` names, for the member it names.
    Raises `tokens.BadToken` (nothing changes) for an unknown, altered or expired token."""
    request = tokens.read_unsubscribe_token(token)
    user = User.objects.filter(pk=request.user_id).first()
    if user is None:
        raise tokens.BadToken("This unsubscribe link is not valid any more.")
    with transaction.atomic(durable=True):
        if request.kind == EmailKind.DIGEST:
            User.objects.filter(pk=user.pk).update(digest_frequency="never")
            user.digest_frequency = "never"
        else:
            DigestSettings.objects.get_or_create(user=user)
            DigestSettings.objects.filter(user=user).update(wants_escalations=False)
    return user, request.kind


def record_staff_preview(*, actor: User, member: User) -> None:
    """Staff looked at someone else's digest: kept in the audit log."""
    with transaction.atomic(durable=True):
        AuditEntry.objects.create(
            actor=actor,
            action="digest_preview",
            subject_user=member,
            reason="Previewed the member's next digest.",
        )
