"""Votes and thanks on replies: once per person, never on one's own reply, race-safe."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404

from communities.core import rules as permissions
from communities.core.errors import StateError
from communities.core.models.people import User
from communities.discussions.models.threads import Post, Thread
from communities.discussions.models.votes import Thanks, Vote
from communities.discussions.selectors.threads import visible_threads
from communities.discussions.services import counters


def _post_to_react_to(*, user: User, post: Post, verb: str) -> Post:
    found = (
        Post.objects.select_related("thread__community")
        .filter(pk=post.pk, thread__in=visible_threads(user))
        .first()
    )
    if found is None:
        raise Http404
    if found.is_hidden or found.thread.is_hidden:
        raise StateError(f"This reply is hidden by the moderators; you can't {verb} it.")
    if found.author_id == user.pk:
        raise ValidationError(f"You can't {verb} your own reply.")
    community = found.thread.community
    if found.thread.circle_id:
        permissions.require(user, "post_in_circle", found.thread.circle)
    else:
        permissions.require(user, "post_in_community", community)
    return found


def _add_once(model, counter: str, *, user: User, post: Post) -> bool:
    """Add the row unless it exists; count it only when this call created it."""
    try:
        # The unique constraint decides between two simultaneous clicks; the loser sees
        # an IntegrityError inside its own savepoint and counts nothing.
        with transaction.atomic():
            _, created = model.objects.get_or_create(post=post, user=user)
    except IntegrityError:
        created = False
    if created:
        Post.objects.filter(pk=post.pk).update(**{counter: F(counter) + 1})
        if counter == "vote_count":
            counters.votes_changed(thread_id=post.thread_id, delta=1)
    return created


def _lock_visible(post: Post, verb: str) -> None:
    """Inside the write: lock the thread (before the reply, like every writer of its
    counters) and check again that a moderator has not hidden the reply meanwhile."""
    list(Thread.objects.select_for_update().filter(pk=post.thread_id).values_list("pk"))
    if Post.objects.filter(pk=post.pk, is_hidden=True).exists():
        raise StateError(f"This reply is hidden by the moderators; you can't {verb} it.")


def vote(*, voter: User, post: Post) -> bool:
    """Vote a reply up. Voting twice counts once; returns whether this call added the vote."""
    post = _post_to_react_to(user=voter, post=post, verb="vote on")
    with transaction.atomic(durable=True):
        _lock_visible(post, "vote on")
        return _add_once(Vote, "vote_count", user=voter, post=post)


def unvote(*, voter: User, post: Post) -> bool:
    """Take a vote back; returns whether there was one to take back."""
    post = _post_to_react_to(user=voter, post=post, verb="vote on")
    with transaction.atomic(durable=True):
        _lock_visible(post, "vote on")
        deleted, _ = Vote.objects.filter(post=post, user=voter).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(vote_count=F("vote_count") - 1)
            counters.votes_changed(thread_id=post.thread_id, delta=-1)
    return bool(deleted)


def thank(*, user: User, post: Post) -> bool:
    """Thank the author of a reply, once."""
    post = _post_to_react_to(user=user, post=post, verb="thank")
    with transaction.atomic(durable=True):
        return _add_once(Thanks, "thanks_count", user=user, post=post)
