"""Starting, editing and resolving threads; revealing an anonymous asker to staff."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.search import index

from communities.circles.models import Circle
from communities.core import rules as permissions
from communities.core.errors import NotAllowed, StateError
from communities.core.models.audit import AuditEntry
from communities.core.models.communities import Community
from communities.core.models.people import User
from communities.core.models.tags import normalise_tag_names
from communities.core.reasons import require_reason
from communities.core.services import submissions
from communities.core.services.profiles import tags_from_names
from communities.core.text import single_line
from communities.discussions import search
from communities.discussions.models.threads import (
    MAX_TAGS_PER_THREAD,
    TITLE_MAX_LENGTH,
    Post,
    Thread,
    ThreadKind,
    ThreadRevision,
    validate_body,
)
from communities.discussions.rendering import body_html
from communities.discussions.selectors.threads import visible_threads
from communities.discussions.services import badges, limits
from communities.discussions.services.follows import follow_own_thread
from communities.discussions.services.notifications import (
    notify_answer_accepted,
    notify_answer_verified,
    notify_new_mentions,
    notify_new_thread,
)


def clean_tag_names(names: list[str]) -> list[str]:
    """Lower-cased, de-duplicated tag names; a clear message names the first bad one."""
    cleaned, bad = normalise_tag_names(names)
    if bad:
        raise ValidationError(
            {
                "tags": f"“{bad[0][:50]}” is not a valid tag. Tags use lowercase letters, "
                "digits and hyphens (up to 40 characters), like “peer-review”."
            }
        )
    if len(cleaned) > MAX_TAGS_PER_THREAD:
        raise ValidationError({"tags": f"Use at most {MAX_TAGS_PER_THREAD} tags."})
    return cleaned


def clean_title(title: str) -> str:
    title = single_line(title)
    if not title:
        raise ValidationError({"title": "Give your thread a title."})
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(
            {"title": f"Keep the title under {TITLE_MAX_LENGTH} characters ({len(title)} now)."}
        )
    return title


def clean_body(body: str) -> str:
    try:
        validate_body(body, what="The body")
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from None
    return body


def update_search_index(thread: Thread) -> None:
    # PostgreSQL keeps the stored tsvectors current in the write's own statement; elsewhere
    # (the SQLite demo) the database search backend writes in the same transaction, so the
    # index never describes a write that rolled back.
    if search.uses_stored_vectors():
        return
    index.insert_or_update_object(thread)


def prepare_thread(
    *,
    author: User,
    community: Community,
    kind: str,
    title: str,
    body: str,
    tag_names: Sequence[str] = (),
    circle: Circle | None = None,
    is_anonymous: bool = False,
) -> dict:
    """Check that `author` may start this thread and clean its fields; writes nothing.

    Returns the arguments for `create_thread`.
    """
    if circle is not None:
        if circle.community_id != community.pk:
            raise ValidationError({"circle": "That circle belongs to another community."})
        permissions.require(author, "post_in_circle", circle)
    else:
        permissions.require(author, "post_in_community", community)
    if kind not in ThreadKind.values:
        raise ValidationError({"kind": "Choose what kind of thread this is."})
    if is_anonymous and kind != ThreadKind.QUESTION:
        raise ValidationError({"is_anonymous": "Only questions can be asked anonymously."})
    return {
        "author": author,
        "community": community,
        "circle": circle,
        "kind": kind,
        "title": clean_title(title),
        "body": clean_body(body),
        "tag_names": clean_tag_names(list(tag_names)),
        "is_anonymous": is_anonymous,
    }


def create_thread(
    *,
    author: User,
    community: Community,
    circle: Circle | None,
    kind: str,
    title: str,
    body: str,
    tag_names: list[str],
    is_anonymous: bool,
) -> Thread:
    """Write a thread `prepare_thread` accepted, inside the caller's transaction: the author
    follows it, and followers and mentioned members are notified."""
    now = timezone.now()
    thread = Thread.objects.create(
        community=community,
        circle=circle,
        kind=kind,
        title=title,
        body=body,
        body_html=body_html(body),
        author=author,
        is_anonymous=is_anonymous,
        created_at=now,
        last_activity_at=now,
    )
    thread.tags.set(tags_from_names(tag_names))
    update_search_index(thread)
    badges.award_for_thread(thread)
    follow_own_thread(user=author, thread=thread)
    notify_new_thread(thread=thread)
    return thread


def start_thread(
    *,
    author: User,
    community: Community,
    kind: str,
    title: str,
    body: str,
    tag_names: Sequence[str] = (),
    circle: Circle | None = None,
    is_anonymous: bool = False,
    submission_token: str | None = None,
) -> Thread:
    """Start a thread in `community` (or in one of its circles, visible to that circle only).

    Only questions may be anonymous; the author is stored either way and shown to nobody else.
    The same `submission_token` sent again (a double click) returns the thread it started.
    """
    prepared = prepare_thread(
        author=author,
        community=community,
        kind=kind,
        title=title,
        body=body,
        tag_names=tag_names,
        circle=circle,
        is_anonymous=is_anonymous,
    )
    with transaction.atomic(durable=True):
        earlier = submissions.claim_submission(user=author, token=submission_token, model=Thread)
        if earlier is not None:
            return earlier
        limits.check_thread_limits(author=author, community=community, body=prepared["body"])
        thread = create_thread(**prepared)
        submissions.record_submission(user=author, token=submission_token, result=thread)
    return thread


def edit_thread(
    *, actor: User, thread: Thread, title: str, body: str, tag_names: list[str]
) -> Thread:
    """The author changes title, body and tags; the earlier version is kept for moderators."""
    if not permissions.can(actor, "edit_thread", thread):
        raise NotAllowed("Only the author, while a member here, can edit this thread.")
    title = clean_title(title)
    body = clean_body(body)
    names = clean_tag_names(list(tag_names))
    limits.check_links(author=actor, community=thread.community, body=body)
    with transaction.atomic(durable=True):
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        if thread.is_hidden:
            raise StateError("This thread is hidden by the moderators and can't be edited.")
        if thread.is_locked:
            raise StateError("This thread is locked; it can no longer be edited.")
        changed = title != thread.title or body != thread.body
        old_body = thread.body
        if changed:
            ThreadRevision.objects.create(
                thread=thread, title=thread.title, body=thread.body, editor=actor
            )
            thread.title, thread.body, thread.edited_at = title, body, timezone.now()
            thread.body_html = body_html(body)
            thread.save(update_fields=["title", "body", "body_html", "edited_at"])
        thread.tags.set(tags_from_names(names))
        update_search_index(thread)
        notify_new_mentions(thread=thread, post=None, old_body=old_body, actor=actor)
    return thread


def _require_visible(actor: User, thread: Thread) -> None:
    if not visible_threads(actor).filter(pk=thread.pk).exists():
        raise NotAllowed("You can't see this thread.")


def _answer_of(thread: Thread, post: Post) -> Post:
    found = Post.objects.filter(pk=post.pk, thread_id=thread.pk).first()
    if found is None or found.parent_id is not None:
        raise ValidationError("Choose one of the answers to this question.")
    if found.is_hidden:
        raise StateError("That answer is hidden by the moderators; choose another one.")
    return found


@dataclass(frozen=True)
class AnswerMark:
    """What differs between accepting an answer and verifying one."""

    rule: str
    field: str  # the Thread field that points at the answer
    only_questions: str
    refused: str


ACCEPTED = AnswerMark(
    rule="accept_answer",
    field="accepted_answer",
    only_questions="Only questions have an accepted answer.",
    refused="Only the person who asked, while a member here, can accept an answer.",
)
VERIFIED = AnswerMark(
    rule="mark_verified_answer",
    field="verified_answer",
    only_questions="Only questions have a verified answer.",
    refused="Only moderators, champions and verified experts can verify answers.",
)


def mark_answer(*, mark: AnswerMark, actor: User, thread: Thread, post: Post) -> Thread:
    """Point the question's accepted or verified answer (`mark`) at `post`: the asker accepts
    one answer (anonymous or not); a moderator, champion or verified expert vouches for one.
    Marking the same answer again changes nothing."""
    if thread.kind != ThreadKind.QUESTION:
        raise StateError(mark.only_questions)
    if not permissions.can(actor, mark.rule, thread):
        raise NotAllowed(mark.refused)
    _require_visible(actor, thread)
    with transaction.atomic(durable=True):
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        post = _answer_of(thread, post)
        if getattr(thread, f"{mark.field}_id") == post.pk:
            return thread
        setattr(thread, mark.field, post)
        if mark is ACCEPTED:
            thread.save(update_fields=[mark.field])
            badges.award_for_accepted_answer(thread, post)
            notify_answer_accepted(thread=thread, post=post)
        else:
            thread.verified_by = actor
            thread.save(update_fields=[mark.field, "verified_by"])
            notify_answer_verified(thread=thread, post=post, actor=actor)
    return thread


def accept_answer(*, actor: User, thread: Thread, post: Post) -> Thread:
    return mark_answer(mark=ACCEPTED, actor=actor, thread=thread, post=post)


def mark_verified_answer(*, actor: User, thread: Thread, post: Post) -> Thread:
    return mark_answer(mark=VERIFIED, actor=actor, thread=thread, post=post)


def reveal_anonymous_author(*, actor: User, thread: Thread, reason: str) -> User | None:
    """Staff learn who asked an anonymous question; the reveal is written to the audit log.

    The entry names the thread, not the person, so the audit log does not reveal them either.
    """
    permissions.require(actor, "reveal_anonymous_author", thread)
    reason = require_reason(reason, message="Say why you need to know who asked this question.")
    if not thread.is_anonymous:
        raise StateError("This question was not asked anonymously.")
    with transaction.atomic(durable=True):
        AuditEntry.objects.create(
            community=thread.community,
            actor=actor,
            action="reveal_anonymous_author",
            target=thread,
            reason=reason,
        )
        author = User.objects.filter(pk=thread.author_id).first() if thread.author_id else None
    return author
