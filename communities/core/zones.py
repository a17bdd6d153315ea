"""The viewer's timezone: every date and time a person reads is in their own zone.

Signed in, it is `User.timezone` (their profile); anonymous, the zone their browser names in
the `tz` cookie (set by static/js/timezone.js), accepted only if zoneinfo knows it. Anything
else is UTC, without an error. Emails and notices use `zone_of(recipient)` the same way.
"""

import datetime as dt
import zoneinfo
from functools import lru_cache

from django.utils import timezone
from django.utils.timesince import timeuntil

TZ_COOKIE = "tz"
UTC = zoneinfo.ZoneInfo("UTC")


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone_named(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone called `name`, or UTC when it is empty or not a zone zoneinfo knows."""
    if not name or name not in _known_zones():
        return UTC
    return zoneinfo.ZoneInfo(name)


def zone_of(user) -> zoneinfo.ZoneInfo:
    """A person's zone from their profile (UTC for anonymous visitors and unknown names)."""
    return zone_named(getattr(user, "timezone", None))


def for_request(request) -> zoneinfo.ZoneInfo:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return zone_of(user)
    return zone_named(request.COOKIES.get(TZ_COOKIE, "")[:64])


def in_zone_of(user):
    """`with in_zone_of(recipient):` renders an email or a notice in the recipient's zone."""
    return timezone.override(zone_of(user))


def zone_name(zone: dt.tzinfo | None = None) -> str:
    """The name people read for a zone (the active one by default): "Europe/Paris"."""
    zone = zone or timezone.get_current_timezone()
    return getattr(zone, "key", None) or str(zone)


def clock_time(moment: dt.datetime) -> str:
    """ "14:00 (Europe/Paris)": the time of day in the active zone, named."""
    return f"{timezone.localtime(moment):%H:%M} ({zone_name()})"


def in_words_until(moment: dt.datetime) -> str:
    """ "in 3 hours (at 14:00 Europe/Paris)", for messages that say when one may act again."""
    return f"in {timeuntil(moment)} (at {timezone.localtime(moment):%H:%M} {zone_name()})"


class _ViewerZone(dt.tzinfo):
    """The viewer's zone, looked up the first time a time is shown, so a request that shows
    none (a redirect, a feed, a bare answer) never reads the person for it."""

    def __init__(self, request) -> None:
        self._request = request
        self._zone: zoneinfo.ZoneInfo | None = None

    def resolved(self) -> zoneinfo.ZoneInfo:
        if self._zone is None:
            self._zone = for_request(self._request)
        return self._zone

    @property
    def key(self) -> str:
        return self.resolved().key

    def utcoffset(self, moment):
        return self.resolved().utcoffset(moment)

    def dst(self, moment):
        return self.resolved().dst(moment)

    def tzname(self, moment):
        return self.resolved().tzname(moment)

    def fromutc(self, moment):
        # The result carries the real zone: what is shown, compared or stored is plain zoneinfo.
        zone = self.resolved()
        return zone.fromutc(moment.replace(tzinfo=zone))

    def __str__(self) -> str:
        return self.key

    def __repr__(self) -> str:
        return f"<viewer zone {self._zone.key if self._zone else '(not read yet)'}>"


class ViewerTimezoneMiddleware:
    """Activates the viewer's zone for the whole request (after authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = _ViewerZone(request)
        request.timezone = zone
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
