"""Turning a kind of email off and on: one-click unsubscribe and the email settings page."""

from django.core.exceptions import ValidationError
from django.db import transaction

from communities.core.mail import BadToken, email_kind, read_unsubscribe_token
from communities.core.models.email import EmailOptOut
from communities.core.models.people import User


def apply_email_wanted(*, user: User, kind: str, wanted: bool) -> None:
    """Inside the caller's transaction: `kind` emails on or off for `user`."""
    registered = email_kind(kind)
    if registered is None:
        raise ValidationError(f"There is no kind of email called {kind!r}.")
    if registered.turn_off is not None and registered.turn_on is not None:
        (registered.turn_on if wanted else registered.turn_off)(user)
    elif wanted:
        EmailOptOut.objects.filter(user_id=user.pk, kind=kind).delete()
    else:
        EmailOptOut.objects.get_or_create(user_id=user.pk, kind=kind)


def set_email_wanted(*, user: User, kind: str, wanted: bool) -> None:
    """Turn `kind` emails on or off for `user` (their settings page)."""
    with transaction.atomic(durable=True):
        apply_email_wanted(user=user, kind=kind, wanted=wanted)


def unsubscribe(*, token: str) -> tuple[User, str]:
    """Turn off the kind of email the signed `token` names, for the member it names, and
    nothing else. Raises `BadToken` (nothing changes) for an unknown, altered or expired
    token, or one naming a member who is gone."""
    request = read_unsubscribe_token(token)
    user = User.objects.filter(pk=request.user_id).first()
    if user is None:
        raise BadToken("This unsubscribe link is not valid any more. Nothing was changed.")
    with transaction.atomic(durable=True):
        apply_email_wanted(user=user, kind=request.kind, wanted=False)
    return user, request.kind
