"""Brand-new accounts: what they may create in a day, and whether what they create is held
back from anonymous visitors until someone responsible has seen it.

An account is *established* once it is `TRELLIS_NEW_MEMBER_DAYS` old and has written
`TRELLIS_NEW_MEMBER_POSTS` threads and replies (anywhere); staff always are. These are the
settings that make someone a new member of a community (discussions/services/limits.py),
applied to the whole account."""

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from communities.core.errors import RateLimited
from communities.core.models.people import User
from communities.core.zones import in_words_until


def is_established(user: User) -> bool:
    if user.is_staff:
        return True
    if user.date_joined > timezone.now() - timedelta(days=settings.TRELLIS_NEW_MEMBER_DAYS):
        return False
    needed = settings.TRELLIS_NEW_MEMBER_POSTS
    # Through the reverse relations, so core needs no import of the discussions models.
    threads = user.threads.count()  # type: ignore[attr-defined]
    if threads >= needed:
        return True
    return threads + user.posts.count() >= needed  # type: ignore[attr-defined]


def should_hold_for_review(*, trusted: bool) -> bool:
    """Whether what an account creates now stays hidden from anonymous visitors for a while:
    unless it is `trusted` (established, or a leader where it creates)."""
    return settings.TRELLIS_HOLD_NEW_ACCOUNT_CREATIONS and not trusted


def lock_account(user: User) -> None:
    """Hold the account's row for the transaction, so two tabs can't both slip under a
    daily limit."""
    User.objects.select_for_update().filter(pk=user.pk).first()


def check_daily_limit(
    *, created: QuerySet, per_day: int, thing: str, things: str, verb: str
) -> None:
    """Raise `RateLimited` when `created` (the account's own rows, with `created_at`) holds
    `per_day` rows of the last day. Call inside the creating transaction, after
    `lock_account`, and only for accounts that are not established."""
    today = list(
        created.filter(created_at__gt=timezone.now() - timedelta(days=1))
        .order_by("created_at")
        .values_list("created_at", flat=True)[:per_day]
    )
    if len(today) < per_day:
        return
    retry_at = today[0] + timedelta(days=1) if today else timezone.now() + timedelta(days=1)
    raise RateLimited(
        f"New accounts can {verb} {per_day} {thing if per_day == 1 else things} a day, and "
        f"you have reached that. You can {verb} another {in_words_until(retry_at)}.",
        retry_at=retry_at,
    )
