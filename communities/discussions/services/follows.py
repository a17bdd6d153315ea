"""Following and unfollowing threads, tags and communities."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from communities.core.models.communities import Community
from communities.core.models.people import User
from communities.core.models.tags import Tag, is_valid_tag_name, normalise_tag_name
from communities.core.selectors import content_visible_communities, visible_communities
from communities.discussions.models.notifications import Follow
from communities.discussions.models.threads import Thread
from communities.discussions.selectors.threads import visible_threads


def _require_signed_in(user: User) -> None:
    if not user.is_authenticated:
        raise ValidationError("Sign in to follow threads, tags and communities.")


def _thread_for(user: User, thread: Thread) -> Thread:
    found = visible_threads(user).filter(pk=thread.pk).first()
    if found is None:
        raise Http404
    return found


def _community_for(user: User, community: Community) -> Community:
    if not visible_communities(user).filter(pk=community.pk).exists():
        raise Http404
    if not content_visible_communities(user).filter(pk=community.pk).exists():
        raise ValidationError("Join this community first; then you can follow its threads.")
    return community


def _tag_named(name: str, *, create: bool) -> Tag | None:
    name = normalise_tag_name(name)
    if not is_valid_tag_name(name):
        raise ValidationError(f"“{name[:50]}” is not a tag you can follow.")
    if create:
        return Tag.objects.get_or_create(name=name)[0]
    return Tag.objects.filter(name=name).first()


def follow_own_thread(*, user: User, thread: Thread) -> None:
    """Authors and repliers follow the thread; call inside the caller's transaction."""
    Follow.objects.bulk_create([Follow(user=user, thread=thread)], ignore_conflicts=True)


def _set(user: User, *, on: bool, **target) -> bool:
    """Follow (on) or unfollow the target; returns whether anything changed. Idempotent."""
    with transaction.atomic(durable=True):
        if on:
            return Follow.objects.get_or_create(user=user, **target)[1]
        deleted, _ = Follow.objects.filter(user=user, **target).delete()
        return bool(deleted)


def set_thread_follow(*, user: User, thread: Thread, follow: bool) -> bool:
    """Follow or unfollow a thread the person can read (404 otherwise)."""
    _require_signed_in(user)
    thread = _thread_for(user, thread)
    return _set(user, on=follow, thread=thread)


def set_community_follow(*, user: User, community: Community, follow: bool) -> bool:
    """Follow or unfollow a community whose threads the person can read."""
    _require_signed_in(user)
    if follow:
        community = _community_for(user, community)
    return _set(user, on=follow, community=community)


def set_tag_follow(*, user: User, tag_name: str, follow: bool) -> Tag | None:
    """Follow or unfollow a tag by name; following a tag nobody used yet creates it."""
    _require_signed_in(user)
    tag = _tag_named(tag_name, create=follow)
    if tag is not None:
        _set(user, on=follow, tag=tag)
    return tag
