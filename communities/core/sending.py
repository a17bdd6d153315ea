"""The one "send once" mechanism for emails and notices.

A row says whether its email went out (`emailed_at`, `reminder_sent_at`, ...). Sending
claims the row with a conditional update that only one caller can win, sends, and gives the
claim back when sending fails so that a retry sends it. A task that runs twice, or two
workers at once, send one email.
"""

from collections.abc import Callable

from django.db import models
from django.utils import timezone


def send_once(
    model: type[models.Model], pk: int, *, field: str, send: Callable[[], object]
) -> bool:
    """Claim `model` row `pk` by setting its empty `field`, then `send()`. True when this
    call sent; False when the row was already claimed (or is gone)."""
    rows = model._default_manager.filter(pk=pk)
    if not rows.filter(**{f"{field}__isnull": True}).update(**{field: timezone.now()}):
        return False
    try:
        send()
    except Exception:
        rows.update(**{field: None})
        raise
    return True
