"""A meeting's time as people read it: the circle's local time, and the reader's own when
their clock says something else ("18:00 Europe/Berlin · 12:00 your time (America/New_York)").

The reader's zone is the active one: the viewer's on a page (the middleware), the
recipient's in an email (`core.zones.in_zone_of`).
"""

import datetime as dt

from django.utils import dateformat, timezone

from communities.core.zones import zone_name, zone_named

FULL = "D j M Y, H:i"
SHORT_DAY = "D j M, H:i"


def meeting_when(starts_at: dt.datetime, circle_zone: str, fmt: str = FULL) -> str:
    circle_local = starts_at.astimezone(zone_named(circle_zone))
    text = f"{dateformat.format(circle_local, fmt)} {zone_name(circle_local.tzinfo)}"
    mine = timezone.localtime(starts_at)
    if mine.replace(tzinfo=None) == circle_local.replace(tzinfo=None):
        return text
    # The day too when the reader's day is not the circle's.
    mine_fmt = "H:i" if mine.date() == circle_local.date() else SHORT_DAY
    return f"{text} · {dateformat.format(mine, mine_fmt)} your time ({zone_name()})"
