from django import template

from communities import permissions
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
