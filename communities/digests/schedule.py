"""Whose digest is due, and which period it belongs to, in each member's own timezone."""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.db.models import Exists, F, Min, OuterRef, Q

from communities.digests.models import DeliveryStatus, DigestDelivery, DigestKind, Weekday
from communities.models import User
from communities.public import MembershipStatus

PERIOD_LENGTH = {
    DigestKind.DAILY: datetime.timedelta(days=1),
    DigestKind.WEEKLY: datetime.timedelta(days=7),
}


def member_zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def period_key(kind: str, local_day: datetime.date) -> str:
    """ "2026-11-28" for a daily digest, "2026-W48" (ISO week) for a weekly one."""
    if kind == DigestKind.DAILY:
        return local_day.isoformat()
    year, week, _ = local_day.isocalendar()
    return f"{year}-W{week:02d}"


def _due_weekdays(local_now: datetime.datetime, *, force: bool) -> list[int]:
    """Chosen weekdays whose digest of this ISO week is due by now in that timezone."""
    if force:
        return list(Weekday.values)
    hour_reached = local_now.hour >= settings.TRELLIS_DIGESTS_SEND_HOUR
    today = local_now.weekday()
    return [day for day in Weekday.values if day < today or (day == today and hour_reached)]


def _undelivered(kind: str, period: str, now: datetime.datetime) -> Q:
    """No delivery row for the period, or only a claim left behind by a worker that died."""
    stale = now - datetime.timedelta(seconds=settings.TRELLIS_DIGESTS_CLAIM_LEASE_SECONDS)
    done = DigestDelivery.objects.filter(member=OuterRef("pk"), kind=kind, period=period).exclude(
        status=DeliveryStatus.CLAIMED, claimed_at__lt=stale
    )
    return ~Exists(done)


def due_digest_members(
    *, kind: str, now: datetime.datetime, force: bool = False
) -> dict[str, list[int]]:
    """Ids of active members whose `kind` digest of the current period is due and not yet
    delivered, by period key, grouped by community. Due means: past the send hour in the
    member's own timezone (and, weekly, on or after their weekday); `force` ignores the hour
    and the weekday."""
    subscribers = User.objects.filter(is_active=True, digest_frequency=kind)
    zones = subscribers.order_by().values_list("timezone", flat=True).distinct()
    by_period: dict[str, list[Q]] = defaultdict(list)
    for zone_name in zones:
        local_now = now.astimezone(member_zone(zone_name))
        period = period_key(kind, local_now.date())
        if kind == DigestKind.DAILY:
            if force or local_now.hour >= settings.TRELLIS_DIGESTS_SEND_HOUR:
                by_period[period].append(Q(timezone=zone_name))
            continue
        days = _due_weekdays(local_now, force=force)
        if not days:
            continue
        on_day = Q(digest_settings__weekday__in=days)
        if Weekday.MONDAY in days:
            on_day |= Q(digest_settings__isnull=True)
        by_period[period].append(Q(timezone=zone_name) & on_day)
    due: dict[str, list[int]] = {}
    for period, conditions in by_period.items():
        condition = Q()
        for each in conditions:
            condition |= each
        # Members of the same community sit next to each other, so a batch covers few
        # communities and reads (and renders) each one's threads for many members.
        ids = list(
            subscribers.filter(condition)
            .filter(_undelivered(kind, period, now))
            .annotate(
                first_community=Min(
                    "memberships__community_id",
                    filter=Q(memberships__status=MembershipStatus.ACTIVE),
                )
            )
            .order_by(F("first_community").asc(nulls_last=True), "pk")
            .values_list("pk", flat=True)
        )
        if ids:
            due[period] = ids
    return due
