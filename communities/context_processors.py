"""Values every page's layout needs."""

from django.utils.functional import SimpleLazyObject

from communities.discussions.selectors.notifications import unread_badge


def notifications(request):
    """The unread badge for the navigation ("", "7" or "99+"), counted (one query, at most
    100 rows) only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": ""}
    return {"unread_notification_count": SimpleLazyObject(lambda: unread_badge(user))}
