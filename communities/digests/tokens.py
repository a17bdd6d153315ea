"""Signed one-click unsubscribe tokens, one per member and kind of email."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from communities.digests.models import EmailKind

SALT = "trellis.digests.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeRequest:
    user_id: int
    kind: str


class BadToken(Exception):
    """The link is unknown, altered or too old; the message says so to the person."""


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> UnsubscribeRequest:
    max_age = settings.TRELLIS_DIGESTS_UNSUBSCRIBE_MAX_AGE_DAYS * 24 * 60 * 60
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
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
        or data.get("k") not in EmailKind.values
    ):
        raise BadToken("This unsubscribe link is not valid.")
    return UnsubscribeRequest(user_id=data["u"], kind=data["k"])
