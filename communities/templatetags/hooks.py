"""`{% hook_panels "thread_panels" thread %}`: what other apps registered for a page."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from communities import hooks

register = template.Library()


@register.simple_tag(takes_context=True)
def hook_panels(context, name, obj):
    request = context.get("request")
    parts = [fn(request, obj) for fn in hooks.registered(name)]
    return mark_safe("".join(conditional_escape(part) for part in parts if part))  # noqa: S308
