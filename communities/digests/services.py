"""Composing, claiming and sending digests; unsubscribing; escalating unanswered questions.

Exactly once per member and period: a batch first inserts one `DigestDelivery` row per member
(the unique constraint on member, kind and period makes a second batch, beat, enqueue or
worker insert nothing), keeps the rows it inserted by their `claim_token`, and records each
email as sent right after the SMTP server took it. A worker killed mid-batch leaves its rows
claimed: the same task redelivered (same token), or the next run once the claim's lease has
passed, sends them, so only the email in flight at the kill can arrive twice.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import smtplib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, transaction
from django.db import connection as database
from django.template.loader import render_to_string
from django.utils import timezone

from communities.core.zones import in_zone_of
from communities.digests import schedule, selectors
from communities.digests.models import (
    DeliveryStatus,
    DigestDelivery,
    DigestKind,
    DigestSettings,
    EmailKind,
    Weekday,
)
from communities.models import AuditEntry, User
from communities.public import (
    apply_email_wanted,
    clean_header,
    email_settings_url,
    member_email,
    site_url,
    unsubscribe_url,
)

logger = logging.getLogger(__name__)

DIGEST_SETTINGS_FIELDS = ["weekday", "wants_escalations", "updated_at"]


def digest_subject(digest: selectors.Digest) -> str:
    label = (
        "Your daily Trellis digest" if digest.kind == DigestKind.DAILY else "Your week on Trellis"
    )
    first = next((section.items[0] for section in digest.sections if section.items), None)
    return clean_header(f"{label}: {first.title}" if first else label)


def digest_context(digest: selectors.Digest, *, unsubscribe_link: str = "") -> dict:
    zone = schedule.member_zone(digest.member.timezone)
    return {
        "digest": digest,
        "member": digest.member,
        "sections": [section for section in digest.sections if section.items],
        "since_local": digest.since.astimezone(zone),
        "until_local": digest.until.astimezone(zone),
        "unsubscribe_url": unsubscribe_link
        or unsubscribe_url(user_id=digest.member.pk, kind=EmailKind.DIGEST),
        "settings_url": email_settings_url(),
        "site_url": site_url("/"),
    }


def render_digest(digest: selectors.Digest, *, unsubscribe_link: str = "") -> tuple[str, str, str]:
    """(subject, plain text, HTML) of a digest; rendering reads nothing from the database.
    Sections come rendered (once per batch for members who share them)."""
    context = digest_context(digest, unsubscribe_link=unsubscribe_link)
    with in_zone_of(digest.member):
        return (
            digest_subject(digest),
            render_to_string("communities/digests/email.txt", context),
            render_to_string("communities/digests/email.html", context),
        )


def digest_message(digest: selectors.Digest, *, connection=None) -> EmailMultiAlternatives:
    link = unsubscribe_url(user_id=digest.member.pk, kind=EmailKind.DIGEST)
    subject, text, html = render_digest(digest, unsubscribe_link=link)
    return member_email(
        user=digest.member,
        kind=EmailKind.DIGEST,
        subject=subject,
        text=text,
        html=html,
        footer=False,
        named=True,
        unsubscribe_link=link,
        connection=connection,
    )


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
    digests = selectors.digest_batch(
        kind=kind, member_ids=member_ids, now=now, compose_skipped=False
    )
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
    ours = {
        member_id: (status, pk)
        for member_id, status, pk in DigestDelivery.objects.filter(
            kind=kind,
            period=period,
            member_id__in=member_ids,
            status__in=[DeliveryStatus.CLAIMED, DeliveryStatus.SKIPPED],
            claim_token=claim_token,
        ).values_list("member_id", "status", "pk")
    }
    mine = {
        member_id: pk
        for member_id, (status, pk) in ours.items()
        if status == DeliveryStatus.CLAIMED
    }
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
    with get_connection() as connection, _commits_without_flush_wait(), database.cursor() as cursor:
        for digest in to_send:
            message = digest_message(digest, connection=connection)
            if delay:
                time.sleep(delay)
            try:
                message.send()
            except smtplib.SMTPRecipientsRefused:
                logger.warning("Digest for member %s refused by the server", digest.member.pk)
                DigestDelivery.objects.filter(pk=mine[digest.member.pk]).update(
                    status=DeliveryStatus.SKIPPED, skip_reason="refused"
                )
                result.skipped += 1
                continue
            # One small statement per email, by primary key, right after the server took it.
            cursor.execute(MARK_SENT, [timezone.now(), mine[digest.member.pk], claim_token])
            result.sent += 1
    return result


MARK_SENT = (
    f"UPDATE {DigestDelivery._meta.db_table} SET status = '{DeliveryStatus.SENT}', "  # noqa: S608 (constants)
    f"sent_at = %s WHERE id = %s AND claim_token = %s AND status = '{DeliveryStatus.CLAIMED}'"
)


@contextlib.contextmanager
def _commits_without_flush_wait():
    """On PostgreSQL, the batch's "sent" marks commit without waiting for the disk flush
    (`synchronous_commit = off`), which made them most of a batch's time. A killed worker
    loses nothing by it (the server has each commit); only a crash of PostgreSQL itself
    could forget the last fraction of a second of marks, and those digests would be sent
    again."""
    if database.vendor != "postgresql":
        yield
        return
    with database.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError), database.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


# --- settings, the digest's kinds of email, bounces ---------------------------------------


def update_email_settings(
    *, user: User, frequency: str, weekday: int, emails: dict[str, bool]
) -> DigestSettings:
    """Change how often `user` gets a digest, on which weekday, and which other kinds of
    email (`emails`: kind -> wanted) reach them, all in one transaction."""
    if frequency not in {"daily", "weekly", "never"}:
        raise ValidationError("Choose daily, weekly or never.")
    if weekday not in Weekday.values:
        raise ValidationError("Choose a day of the week.")
    with transaction.atomic(durable=True):
        User.objects.filter(pk=user.pk).update(digest_frequency=frequency)
        user.digest_frequency = frequency
        digest_settings, _ = DigestSettings.objects.select_for_update().get_or_create(user=user)
        DigestSettings.objects.filter(pk=digest_settings.pk).update(weekday=weekday)
        for kind, wanted in emails.items():
            apply_email_wanted(user=user, kind=kind, wanted=wanted)
    digest_settings.refresh_from_db()
    return digest_settings


def _digests_on(user: User) -> bool:
    return user.digest_frequency != "never"


def _set_digests(frequency: str):
    def change(user: User) -> None:
        # Turning digests on again (after a one-click "never") restores the default, weekly;
        # a member already on daily or weekly keeps theirs.
        rows = User.objects.filter(pk=user.pk)
        if frequency != "never":
            rows = rows.filter(digest_frequency="never")
        if rows.update(digest_frequency=frequency):
            user.digest_frequency = frequency

    return change


def _escalations_on(user: User) -> bool:
    digest_settings = DigestSettings.objects.filter(user_id=user.pk).first()
    return digest_settings is None or digest_settings.wants_escalations


def _set_escalations(wanted: bool):
    def change(user: User) -> None:
        DigestSettings.objects.get_or_create(user_id=user.pk)
        DigestSettings.objects.filter(user_id=user.pk).update(wants_escalations=wanted)

    return change


EMAIL_KINDS = {
    EmailKind.DIGEST: {
        "label": "digest emails",
        "is_on": _digests_on,
        "turn_off": _set_digests("never"),
        "turn_on": _set_digests("weekly"),
    },
    EmailKind.ESCALATION: {
        "label": "emails about questions you could help with",
        "is_on": _escalations_on,
        "turn_off": _set_escalations(False),
        "turn_on": _set_escalations(True),
    },
}


def record_staff_preview(*, actor: User, member: User) -> None:
    """Staff looked at someone else's digest: kept in the audit log."""
    with transaction.atomic(durable=True):
        AuditEntry.objects.create(
            actor=actor,
            action="digest_preview",
            subject_user=member,
            reason="Previewed the member's next digest.",
        )
