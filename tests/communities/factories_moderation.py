"""Helpers for the moderation and recognition tests, built through the services."""

from datetime import timedelta

from django.utils import timezone

from communities.models import Membership
from communities.moderation.services.flags import flag_content


def make_seasoned(user, community, *, days: int = 30):
    """Make `user` an old hand in `community`: joined long ago (tests that also need the
    post count set TRELLIS_NEW_MEMBER_POSTS)."""
    Membership.objects.filter(user=user, community=community).update(
        joined_at=timezone.now() - timedelta(days=days)
    )
    return user


def flag(user, thread, post=None, *, reason="spam", note=""):
    return flag_content(flagger=user, thread=thread, post=post, reason=reason, note=note)[0]
