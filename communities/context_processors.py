"""Values every page's layout needs."""

from django.utils.functional import SimpleLazyObject

from communities.discussions.selectors.notifications import unread_notification_count


def notifications(request):
    """The unread count for the navigation, counted (one query) only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}
    return {"unread_notification_count": SimpleLazyObject(lambda: unread_notification_count(user))}
