from django import template
from django.utils.safestring import mark_safe

from communities import permissions
from communities.circles.times import meeting_when
from communities.core import zones
from communities.core.markdown import render_markdown
from communities.discussions.views import thread_rows

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    return render_markdown(text)


@register.simple_tag
def can(user, action: str, obj=None) -> bool:
    """`{% can request.user "manage_community" community as may_manage %}`"""
    return permissions.can(user, action, obj)


@register.simple_tag
def thread_row(thread, show_community: bool = False):
    """`{% thread_row thread show_community=True %}`: one row of a list of threads, written
    in Python (communities/discussions/views/thread_rows.py)."""
    return thread_rows.thread_row(thread, show_community=show_community)


@register.simple_tag
def question_status(status):
    """`{% question_status thread.status %}`: the accepted / answered / unanswered mark."""
    return mark_safe(thread_rows.status_html(status or ""))  # noqa: S308 (fixed markup)


@register.simple_tag
def author(who, anonymous=False, asker_id=None):
    """`{% author thread.shown_author thread.is_anonymous thread.author_id %}`: the only way a
    page names the author of a thread or reply; `who` is the selector's shown_author."""
    return mark_safe(  # noqa: S308 (the name escaped inside)
        thread_rows.author_link(who or None, anonymous=bool(anonymous), asker_id=asker_id)
    )


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
