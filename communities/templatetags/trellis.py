from django import template

from communities import permissions
from communities.circles.times import meeting_when
from communities.core import zones
from communities.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    return render_markdown(text)


@register.simple_tag
def can(user, action: str, obj=None) -> bool:
    """`{% can request.user "manage_community" community as may_manage %}`"""
    return permissions.can(user, action, obj)


# Moderation and recognition -----------------------------------------------------------------


@register.filter
def get_item(mapping, key):
    """`{{ errors|get_item:item.key }}`: a dict lookup with a key from a variable."""
    return (mapping or {}).get(key)


# Times -----------------------------------------------------------------------------------------


@register.filter
def circle_time(starts_at, circle) -> str:
    """`{{ meeting.starts_at|circle_time:meeting.circle }}`: the circle's local time, and the
    reader's when it differs (one way to write a meeting's time, pages and emails alike)."""
    if not starts_at:
        return ""
    return meeting_when(starts_at, circle.timezone)


@register.simple_tag
def zone_name() -> str:
    """`{% zone_name %}`: the name of the zone the page's times are in."""
    return zones.zone_name()
