"""Follows, notifications and prompts for the tests, built through the services."""

from communities.discussions.selectors.notifications import notifications_for
from communities.models import Notification, User


def inbox(user: User) -> list[Notification]:
    """What `user` would see on /notifications/, oldest first."""
    return list(reversed(notifications_for(user)))


def kinds_for(user: User) -> list[str]:
    return [notification.kind for notification in inbox(user)]
