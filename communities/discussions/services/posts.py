"""Replies to threads and their edits."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from communities.core import rules as permissions
from communities.core.errors import NotAllowed, StateError
from communities.core.models.people import User
from communities.core.services import submissions
from communities.discussions.models.threads import Post, PostRevision, Thread, validate_body
from communities.discussions.rendering import body_html
from communities.discussions.services import badges, counters, limits
from communities.discussions.services.follows import follow_own_thread
from communities.discussions.services.notifications import notify_new_mentions, notify_new_post
from communities.discussions.services.threads import update_search_index


def _clean_reply_body(body: str) -> str:
    try:
        validate_body(body, what="Your reply")
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from None
    return body


def reply(
    *,
    author: User,
    thread: Thread,
    body: str,
    parent: Post | None = None,
    submission_token: str | None = None,
) -> Post:
    """Answer a thread, or reply under one of its answers (one level deep only).

    Refused on locked and hidden threads and under hidden replies. The same
    `submission_token` sent again (a double click) returns the reply it posted.
    """
    body = _clean_reply_body(body)
    with transaction.atomic(durable=True):
        earlier = submissions.claim_submission(user=author, token=submission_token, model=Post)
        if earlier is not None:
            return earlier
        thread = Thread.objects.select_for_update().select_related("community").get(pk=thread.pk)
        if thread.is_hidden:
            raise StateError("This thread is hidden by the moderators; replies are closed.")
        if thread.is_locked:
            raise StateError("This thread is locked; it no longer takes replies.")
        permissions.require(author, "reply_to_thread", thread)
        if parent is not None:
            parent = Post.objects.filter(pk=parent.pk, thread_id=thread.pk).first()
            if parent is None:
                raise ValidationError("You can only reply to an answer in this thread.")
            if parent.parent_id is not None:
                # Keep one level of nesting: a reply to a reply joins the same answer.
                parent = Post.objects.get(pk=parent.parent_id)
            if parent.is_hidden:
                raise StateError("That answer is hidden by the moderators; it takes no replies.")
        limits.check_reply_limits(author=author, community=thread.community, body=body)
        now = timezone.now()
        post = Post.objects.create(
            thread=thread,
            parent=parent,
            author=author,
            body=body,
            body_html=body_html(body),
            created_at=now,
        )
        counters.reply_added(thread_id=thread.pk, is_answer=parent is None, at=now)
        update_search_index(thread)
        badges.award_for_reply(post)
        follow_own_thread(user=author, thread=thread)
        notify_new_post(post=post)
        submissions.record_submission(user=author, token=submission_token, result=post)
    return post


def edit_post(*, actor: User, post: Post, body: str) -> Post:
    """The author changes a reply; the earlier text is kept for moderators."""
    if not permissions.can(actor, "edit_post", post):
        raise NotAllowed("Only the author, while a member here, can edit this reply.")
    body = _clean_reply_body(body)
    with transaction.atomic(durable=True):
        post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
        if post.is_hidden or post.thread.is_hidden:
            raise StateError("This reply is hidden by the moderators and can't be edited.")
        if post.thread.is_locked:
            raise StateError("This thread is locked; its replies can no longer be edited.")
        if body == post.body:
            return post
        limits.check_links(author=actor, community=post.thread.community, body=body)
        PostRevision.objects.create(post=post, body=post.body, editor=actor)
        old_body = post.body
        post.body, post.edited_at = body, timezone.now()
        post.body_html = body_html(body)
        post.save(update_fields=["body", "body_html", "edited_at"])
        update_search_index(post.thread)
        notify_new_mentions(thread=post.thread, post=post, old_body=old_body, actor=actor)
    return post
