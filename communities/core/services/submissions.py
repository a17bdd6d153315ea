"""One form submission, one result: creation services claim the token their form was
rendered with, inside their own transaction, before they write anything."""

import datetime as dt
import secrets
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from communities.core.errors import ValidationError
from communities.core.models.people import User
from communities.core.models.submissions import FormSubmission

M = TypeVar("M", bound=models.Model)

ALREADY_SENT = "This form was already sent. Reload the page to send it again."


def new_submission_token() -> str:
    return secrets.token_urlsafe(16)


def _result(row: FormSubmission, model: type[M]) -> M:
    if row.content_type_id != ContentType.objects.get_for_model(model).pk:
        raise ValidationError(ALREADY_SENT)
    found = model._default_manager.filter(pk=row.object_id).first()
    if found is None:
        raise ValidationError(ALREADY_SENT)
    return found


def earlier_result(*, user: User, token: str | None, model: type[M]) -> M | None:
    """What an earlier, finished submission of this form created; None if there is none.
    A quick look before the checks a resent form would fail (a community's taken address)."""
    if not token:
        return None
    row = FormSubmission.objects.filter(user=user, token=token).first()
    return _result(row, model) if row is not None else None


def claim_submission(*, user: User, token: str | None, model: type[M]) -> M | None:
    """Call first inside the creating transaction. None: this attempt goes on and creates
    (then `record_submission`). Otherwise the object the same submission already created.

    The insert waits on PostgreSQL for a concurrent attempt holding the same token until it
    commits (then finds its row) or rolls back (then this one creates)."""
    if not token:
        return None
    attempt = secrets.token_hex(8)
    FormSubmission.objects.bulk_create(
        [FormSubmission(user=user, token=token[:64], attempt=attempt)], ignore_conflicts=True
    )
    row = FormSubmission.objects.get(user=user, token=token[:64])
    return None if row.attempt == attempt else _result(row, model)


def record_submission(*, user: User, token: str | None, result: models.Model) -> None:
    """Write what the claimed submission created, in the same transaction."""
    if not token:
        return
    FormSubmission.objects.filter(user=user, token=token[:64]).update(
        content_type=ContentType.objects.get_for_model(result), object_id=result.pk
    )


def forget_old_submissions(*, older_than_days: int, batch_size: int = 1000) -> int:
    """Delete claims older than `older_than_days`, a batch at a time (one short lock per
    batch); returns how many went. A form resent after that long creates again, as a new
    submission would."""
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    forgotten = 0
    while True:
        ids = list(
            FormSubmission.objects.filter(created_at__lt=cutoff)
            .order_by("created_at")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return forgotten
        forgotten += FormSubmission.objects.filter(pk__in=ids).delete()[0]
