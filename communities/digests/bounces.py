"""Bounces: the mail server's delivery-status notifications (RFC 3464) mark an address as
bouncing, so digests and escalations stop going to it until its owner says it works.

A hard bounce (`Action: failed` with a permanent `5.x.x` status) marks the address at once;
soft ones (`4.x.x`, or `Action: delayed`) count, and `TRELLIS_BOUNCE_SOFT_LIMIT` of them
mark it too. The count starts again when the member clears the flag.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from communities.digests.models import DigestSettings
from communities.models import User
from communities.public import clean_header


@dataclass(frozen=True)
class Bounce:
    address: str
    is_hard: bool
    status: str
    reason: str


def _field(fields: Message, name: str) -> str:
    return clean_header(str(fields.get(name, "")), limit=300)


def bounces_in(message: Message) -> list[Bounce]:
    """The failed or delayed recipients a delivery-status notification reports; nothing
    for any other message (an auto-reply, a person's answer)."""
    found = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        if not isinstance(blocks, list):
            continue
        for fields in blocks[1:]:  # the first block is about the message, then one per recipient
            action = _field(fields, "Action").lower()
            if action not in {"failed", "delayed"}:
                continue
            recipient = _field(fields, "Final-Recipient") or _field(fields, "Original-Recipient")
            address = recipient.split(";", 1)[-1].strip().strip("<>")
            if "@" not in address:
                continue
            status = _field(fields, "Status")
            found.append(
                Bounce(
                    address=address,
                    is_hard=action == "failed" and status.startswith("5"),
                    status=status,
                    reason=_field(fields, "Diagnostic-Code") or status or action,
                )
            )
    return found


def record_bounce(bounce: Bounce, *, at: datetime.datetime | None = None) -> bool:
    """Count one bounce against the member with that address; True when the address is
    (now) marked bouncing. An address nobody uses changes nothing."""
    user = User.objects.filter(email__iexact=bounce.address).first()
    if user is None:
        return False
    at = at or timezone.now()
    with transaction.atomic(durable=True):
        DigestSettings.objects.get_or_create(user=user)
        row = DigestSettings.objects.select_for_update().get(user=user)
        row.soft_bounces = row.soft_bounces if bounce.is_hard else row.soft_bounces + 1
        if bounce.is_hard or row.soft_bounces >= settings.TRELLIS_BOUNCE_SOFT_LIMIT:
            row.is_bouncing = True
            row.bounced_at = at
            row.bounce_reason = bounce.reason[:300]
        row.save(
            update_fields=[
                "soft_bounces",
                "is_bouncing",
                "bounced_at",
                "bounce_reason",
                "updated_at",
            ]
        )
    return row.is_bouncing


def clear_bounce(*, user: User) -> None:
    """The member confirmed that their address works again: emails resume."""
    with transaction.atomic(durable=True):
        DigestSettings.objects.filter(user=user).update(
            is_bouncing=False, soft_bounces=0, bounced_at=None, bounce_reason=""
        )


def _parse(raw: bytes) -> Message:
    return email.message_from_bytes(raw, policy=email.policy.compat32)


def unread_messages(path: Path) -> Iterator[tuple[Message, callable]]:
    """(message, mark_done) for each message not handled before: a Maildir's `new/`
    messages (moved to `cur/`, seen, once done) or an mbox's messages without the read
    flag (flagged read once done)."""
    if (path / "new").is_dir():
        box = mailbox.Maildir(path, factory=None, create=False)
        for key in list(box.iterkeys()):
            message = box[key]
            if message.get_subdir() != "new":
                continue

            def done(key=key, message=message):
                message.set_subdir("cur")
                message.add_flag("S")
                box[key] = message

            yield _parse(message.as_bytes()), done
        return
    box = mailbox.mbox(path, create=False)
    box.lock()
    try:
        for key in list(box.iterkeys()):
            message = box[key]
            if "R" in message.get_flags():
                continue

            def done(key=key, message=message):
                message.add_flag("R")
                box[key] = message

            yield _parse(message.as_bytes()), done
        box.flush()
    finally:
        box.unlock()
        box.close()


def process_mailbox(path: Path) -> tuple[int, int]:
    """Read every new delivery-status notification in the Maildir or mbox at `path` once.
    Returns (bounces found, addresses marked bouncing)."""
    found = marked = 0
    for message, done in unread_messages(path):
        for bounce in bounces_in(message):
            found += 1
            marked += record_bounce(bounce)
        done()
    return found, marked
