"""Emails to members: headers that cannot be broken, and one-click unsubscribe for every
kind of recurring email (RFC 2369 `List-Unsubscribe`, RFC 8058 one-click POST).

Each kind a member can turn off is registered once with a label for the pages and, when it
has a setting of its own (the digest's frequency, `User.notify_by_email`), how to read and
change that setting; other kinds are stored as `EmailOptOut` rows. The token in the link is
signed over (member id, kind): it cannot be altered, nor used for someone else or for
another kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formataddr

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from communities.core.models.email import EmailOptOut
from communities.core.models.people import User
from communities.core.text import header_text

# The salt of the first digest links: links in emails already sent keep working.
UNSUBSCRIBE_SALT = "trellis.digests.unsubscribe"

NOTIFICATION = "notification"
MEETING_REMINDER = "meeting_reminder"
MODERATION = "moderation"


# One cleaner for header text, written once in `core.text`.
clean_header = header_text


def recipient_address(user: User) -> str:
    """`"Name" <address>` with the name cleaned to one line and quoted as needed."""
    return formataddr((clean_header(user.public_name, limit=80), user.email))


def site_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


# --- kinds of email -------------------------------------------------------------------------


@dataclass(frozen=True)
class EmailKind:
    key: str
    label: str  # plural, fits "turn off {label}", e.g. "meeting reminders"
    # For a kind with its own setting: is it on for the user, and how to turn it off/on.
    # Called inside the caller's transaction; None means an `EmailOptOut` row.
    is_on: Callable[[User], bool] | None = None
    turn_off: Callable[[User], None] | None = None
    turn_on: Callable[[User], None] | None = None


_KINDS: dict[str, EmailKind] = {}


def register_email_kind(
    key: str,
    label: str,
    *,
    is_on: Callable[[User], bool] | None = None,
    turn_off: Callable[[User], None] | None = None,
    turn_on: Callable[[User], None] | None = None,
) -> str:
    """Declare a kind of email members can turn off; returns its key. Registering the same
    key again replaces it (harmless at reload)."""
    _KINDS[key] = EmailKind(key, label, is_on, turn_off, turn_on)
    return key


def email_kind(key: str) -> EmailKind | None:
    return _KINDS.get(key)


def email_kinds() -> list[EmailKind]:
    return list(_KINDS.values())


def _notifications_on(user: User) -> bool:
    return user.notify_by_email


def _set_notifications(wanted: bool) -> Callable[[User], None]:
    def change(user: User) -> None:
        User.objects.filter(pk=user.pk).update(notify_by_email=wanted)
        user.notify_by_email = wanted

    return change


register_email_kind(
    NOTIFICATION,
    "emails about mentions and answers",
    is_on=_notifications_on,
    turn_off=_set_notifications(False),
    turn_on=_set_notifications(True),
)
register_email_kind(MEETING_REMINDER, "circle meeting reminders")
register_email_kind(MODERATION, "emails about moderation of your posts")


def wants_email(user: User, kind: str) -> bool:
    """Whether `user` still wants emails of `kind` (one query for opt-out kinds)."""
    registered = _KINDS.get(kind)
    if registered is None:
        raise ValueError(f"Unknown kind of email {kind!r}: register it first.")
    if registered.is_on is not None:
        return registered.is_on(user)
    return not EmailOptOut.objects.filter(user_id=user.pk, kind=kind).exists()


# --- unsubscribe links ----------------------------------------------------------------------


@dataclass(frozen=True)
class UnsubscribeRequest:
    user_id: int
    kind: str


class BadToken(Exception):
    """The link is unknown, altered or too old; the message says so to the person."""


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> UnsubscribeRequest:
    max_age = settings.TRELLIS_DIGESTS_UNSUBSCRIBE_MAX_AGE_DAYS * 24 * 60 * 60
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadToken(
            "This unsubscribe link is too old. Change your email settings after signing in."
        ) from error
    except signing.BadSignature as error:
        raise BadToken(
            "This unsubscribe link is not valid. Use the link in your latest email, or "
            "change your email settings after signing in."
        ) from error
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or data.get("k") not in _KINDS
    ):
        raise BadToken(
            "This unsubscribe link is not valid: it does not name a kind of email we send. "
            "Change your email settings after signing in."
        )
    return UnsubscribeRequest(user_id=data["u"], kind=data["k"])


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return site_url(reverse("digests:unsubscribe", args=[token]))


def email_settings_url() -> str:
    return site_url(reverse("digests:settings"))


def unsubscribe_headers(*, user_id: int, kind: str, url: str = "") -> dict[str, str]:
    """RFC 2369 and RFC 8058 headers for one member and one kind of email: mail clients
    offer an unsubscribe button that POSTs to the HTTPS link and turns that kind off.
    `url` passes the link already made for this member and kind."""
    if kind not in _KINDS:
        raise ValueError(f"Unknown kind of email {kind!r}: register it first.")
    return {
        "List-Unsubscribe": f"<{url or unsubscribe_url(user_id=user_id, kind=kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def member_email(
    *,
    user: User,
    kind: str,
    subject: str,
    text: str,
    html: str = "",
    footer: bool = True,
    unsubscribe_link: str = "",
    named: bool = False,
    connection=None,
) -> EmailMultiAlternatives:
    """A message of `kind` to one member: cleaned subject and name, the unsubscribe headers
    and (unless its template has one) a plain-text footer with the unsubscribe link for
    clients that show no button. `named` addresses it as `"Name" <address>`."""
    link = unsubscribe_link or unsubscribe_url(user_id=user.pk, kind=kind)
    if footer:
        text = f"{text.rstrip()}\n\n--\nTurn off {_KINDS[kind].label}: {link}\n"
    message = EmailMultiAlternatives(
        subject=clean_header(subject),
        body=text,
        to=[recipient_address(user) if named else user.email],
        headers=unsubscribe_headers(user_id=user.pk, kind=kind, url=link),
        connection=connection,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def send_member_email(*, user: User, kind: str, subject: str, text: str, html: str = "") -> bool:
    """Send one email of `kind` to `user` unless they turned that kind off, their account is
    inactive or they have no address. Returns whether it went out. For other apps' recurring
    emails (they register their kind with `register_email_kind` in `ready()`)."""
    if not (user.is_active and user.email) or not wants_email(user, kind):
        return False
    member_email(user=user, kind=kind, subject=subject, text=text, html=html).send()
    return True
