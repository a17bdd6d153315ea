"""What moderators do from the queue: hide, restore, resolve flags, lock, move, warn, ban.
Nothing is deleted; every action writes an audit entry with its reason."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from communities.core import rules as permissions
from communities.core.errors import NotAllowed, StateError
from communities.core.models.audit import AuditEntry
from communities.core.models.communities import Community
from communities.core.models.people import User
from communities.core.reasons import require_reason
from communities.core.services.membership import ban_member
from communities.discussions.models.threads import Post, Thread
from communities.discussions.services import contributions, counters
from communities.discussions.services.threads import update_search_index
from communities.moderation.models import (
    WARNING_MAX_LENGTH,
    Flag,
    FlagStatus,
    MemberWarning,
    NoticeKind,
)
from communities.moderation.services.flags import open_flags_on
from communities.moderation.services.notices import (
    describe,
    is_anonymous_content,
    known_name,
    notify,
    public_author_id,
)


def _require_moderator(actor: User, community: Community) -> None:
    if not permissions.can(actor, "moderate_community", community):
        raise NotAllowed("Only this community's moderators can do that.")


def _locked_item(thread: Thread, post: Post | None) -> tuple[Thread, Post | None]:
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("community", "author")
        .get(pk=thread.pk)
    )
    if post is not None:
        post = (
            Post.objects.select_for_update(of=("self",))
            .select_related("author")
            .get(pk=post.pk, thread=thread)
        )
    return thread, post


def _audit(*, actor, community, action, thread, post=None, reason="", subject_user_id=None):
    AuditEntry.objects.create(
        community=community,
        actor=actor,
        action=action,
        subject_user_id=subject_user_id,
        target=post if post is not None else thread,
        reason=reason,
    )


def _resolve_open_flags(*, actor, thread, post, status: str, note: str) -> int:
    """Close the item's open flags as upheld or dismissed and tell each flagger."""
    flags = list(open_flags_on(thread, post).select_related("flagger"))
    if not flags:
        return 0
    Flag.objects.filter(pk__in=[flag.pk for flag in flags], status=FlagStatus.OPEN).update(
        status=status, resolved_at=timezone.now(), resolved_by=actor
    )
    item = "the reply" if post is not None else "the thread"
    if status == FlagStatus.UPHELD:
        outcome = f"The moderators agreed with your flag on {item} in “{thread.title}”"
    else:
        outcome = (
            f"The moderators looked at your flag on {item} in “{thread.title}” and "
            "decided to leave it as it is"
        )
    for flag in flags:
        notify(
            recipient_id=flag.flagger_id,
            community=thread.community,
            kind=NoticeKind.FLAG_OUTCOME,
            subject=f"Your flag was {FlagStatus(status).label.lower()}",
            body=f"{outcome}. {note}".strip() + " Thank you for looking after the community.",
            thread=thread,
        )
    return len(flags)


def set_content_hidden(
    *, actor: User, thread: Thread, post: Post | None = None, hidden: bool, reason: str
) -> bool:
    """Hide a thread or reply (never delete it) and uphold its open flags, or show it again
    and dismiss them (`hidden`). The author is told why. Returns whether it changed."""
    _require_moderator(actor, thread.community)
    if hidden:
        reason = require_reason(reason, message="Say why you hide it; the author reads this.")
    else:
        reason = require_reason(reason)
    verb, flag_status = ("hide", FlagStatus.UPHELD) if hidden else ("restore", FlagStatus.DISMISSED)

    with transaction.atomic(durable=True):
        thread, post = _locked_item(thread, post)
        item = post if post is not None else thread
        changed = bool(
            type(item).objects.filter(pk=item.pk, is_hidden=not hidden).update(is_hidden=hidden)
        )
        community = thread.community
        if changed and post is not None:
            counters.reply_hidden_changed(post_id=post.pk, hidden=hidden)
        if changed:
            _audit(
                actor=actor,
                community=community,
                action=f"{verb}_post" if post is not None else f"{verb}_thread",
                thread=thread,
                post=post,
                reason=reason,
                subject_user_id=public_author_id(thread, post),
            )
            update_search_index(thread)
            contributions.reroll_later(community_id=community.pk)
        resolved = _resolve_open_flags(
            actor=actor, thread=thread, post=post, status=flag_status, note=""
        )
        if resolved:
            outcome = "upheld" if hidden else "dismissed"
            _audit(
                actor=actor,
                community=community,
                action="uphold_flags" if hidden else "dismiss_flags",
                thread=thread,
                post=post,
                reason=f"{resolved} flag(s) {outcome}: {reason}",
            )
        # Upholding flags on something already hidden still tells its author why.
        if changed or (hidden and resolved):
            _tell_author(community, thread, post, item, hidden=hidden, reason=reason)
    return changed


def _tell_author(community, thread, post, item, *, hidden: bool, reason: str) -> None:
    if hidden:
        # A community the author may no longer see (a move) is not named to them.
        name = known_name(item.author_id, community)
        moderators = f"The moderators of {name}" if name else "The moderators"
        notify(
            recipient_id=item.author_id,
            community=community,
            kind=NoticeKind.CONTENT_HIDDEN,
            subject=f"The moderators hid {describe(thread, post)}",
            body=f"{moderators} hid {describe(thread, post)}. "
            f"Their reason: {reason} Nothing is deleted; reply to a moderator if you "
            "think this was a mistake.",
            thread=thread,
        )
    else:
        notify(
            recipient_id=item.author_id,
            community=community,
            kind=NoticeKind.CONTENT_RESTORED,
            subject=f"The moderators restored {describe(thread, post)}",
            body=f"{describe(thread, post).capitalize()} is visible again. {reason}",
            thread=thread,
        )


def hide_content(*, actor: User, thread: Thread, post: Post | None = None, reason: str) -> bool:
    return set_content_hidden(actor=actor, thread=thread, post=post, hidden=True, reason=reason)


def restore_content(*, actor: User, thread: Thread, post: Post | None = None, reason: str) -> bool:
    return set_content_hidden(actor=actor, thread=thread, post=post, hidden=False, reason=reason)


def resolve_flags(
    *, actor: User, thread: Thread, post: Post | None = None, uphold: bool, reason: str
) -> int:
    """Uphold or dismiss the item's open flags without hiding or restoring it; each flagger
    is told. Returns how many flags were resolved."""
    _require_moderator(actor, thread.community)
    reason = require_reason(reason)
    status = FlagStatus.UPHELD if uphold else FlagStatus.DISMISSED
    with transaction.atomic(durable=True):
        thread, post = _locked_item(thread, post)
        resolved = _resolve_open_flags(
            actor=actor, thread=thread, post=post, status=status, note=""
        )
        if not resolved:
            raise StateError("There are no open flags on this any more.")
        _audit(
            actor=actor,
            community=thread.community,
            action="uphold_flags" if uphold else "dismiss_flags",
            thread=thread,
            post=post,
            reason=f"{resolved} flag(s) {status}: {reason}",
        )
    return resolved


def set_thread_locked(*, actor: User, thread: Thread, locked: bool, reason: str) -> bool:
    """Lock a thread against new replies, or unlock it. Returns whether anything changed."""
    _require_moderator(actor, thread.community)
    reason = require_reason(reason)
    with transaction.atomic(durable=True):
        changed = bool(
            Thread.objects.filter(pk=thread.pk, is_locked=not locked).update(is_locked=locked)
        )
        if changed:
            _audit(
                actor=actor,
                community=thread.community,
                action="lock_thread" if locked else "unlock_thread",
                thread=thread,
                reason=reason,
            )
    return changed


def close_as_duplicate(*, actor: User, thread: Thread, original_id: int, reason: str) -> Thread:
    """Close a question as a duplicate of another thread of the same community: it is locked
    and links to the original, so its readers find the answers there. The original must be
    readable by everyone who reads the duplicate (not hidden, not in another circle)."""
    _require_moderator(actor, thread.community)
    reason = require_reason(reason)
    original = Thread.objects.filter(pk=original_id, community_id=thread.community_id).first()
    if original is None or original.pk == thread.pk:
        raise ValidationError({"original": "Give the number of another thread in this community."})
    if original.is_hidden or (original.circle_id and original.circle_id != thread.circle_id):
        raise ValidationError(
            {"original": "That thread isn't open to everyone who reads this one; pick another."}
        )
    if original.duplicate_of_id == thread.pk:
        raise ValidationError({"original": "That thread is already closed as a copy of this."})
    with transaction.atomic(durable=True):
        thread, _ = _locked_item(thread, None)
        if thread.duplicate_of_id == original.pk:
            raise StateError("This thread is already closed as a duplicate of that one.")
        thread.duplicate_of = original
        thread.is_locked = True
        thread.save(update_fields=["duplicate_of", "is_locked"])
        _audit(
            actor=actor,
            community=thread.community,
            action="close_duplicate",
            thread=thread,
            reason=f"duplicate of #{original.pk} “{original.title}”: {reason}",
        )
    return thread


def move_thread(*, actor: User, thread: Thread, to_community: Community, reason: str) -> Thread:
    """Move a thread, its replies and its flags to another community the moderator also
    moderates. Circle threads stay in their circle."""
    _require_moderator(actor, thread.community)
    if not permissions.can(actor, "moderate_community", to_community):
        raise NotAllowed("You can only move threads to a community you also moderate.")
    reason = require_reason(reason)
    if to_community.pk == thread.community_id:
        raise ValidationError({"to_community": "The thread is already in that community."})
    if thread.circle_id:
        raise StateError("This thread belongs to a circle; it can't leave its circle.")

    with transaction.atomic(durable=True):
        thread, _ = _locked_item(thread, None)
        source = thread.community
        thread.community = to_community
        thread.save(update_fields=["community"])
        Flag.objects.filter(thread=thread).update(community=to_community)
        # Each side records the other community apart from the reason, so the audit page
        # names it only to managers who may know it exists.
        for community, action, other in (
            (source, "move_thread", to_community),
            (to_community, "move_thread_in", source),
        ):
            AuditEntry.objects.create(
                community=community,
                actor=actor,
                action=action,
                target=thread,
                related_community=other,
                reason=reason,
            )
        update_search_index(thread)
        for community in (source, to_community):
            contributions.reroll_later(community_id=community.pk)
    return thread


def _author_to_act_on(thread: Thread, post: Post | None) -> User:
    if is_anonymous_content(thread, post):
        raise StateError(
            "This was posted anonymously; hide it instead, or ask staff to reveal the author "
            "through the audited action."
        )
    author = thread.author if post is None else post.author
    if author is None:
        raise StateError("The author's account no longer exists.")
    return author


def warn_member(
    *, actor: User, thread: Thread, post: Post | None = None, message: str
) -> MemberWarning:
    """Warn the author of a thread or reply privately: a warning row, a notice and an email.
    Anonymous authors can't be warned from here, so the action can't reveal them."""
    community = thread.community
    _require_moderator(actor, community)
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": "Write the warning the member will read."})
    if len(message) > WARNING_MAX_LENGTH:
        raise ValidationError({"message": f"Keep it under {WARNING_MAX_LENGTH:,} characters."})
    member = _author_to_act_on(thread, post)
    if member.pk == actor.pk:
        raise ValidationError("You can't warn yourself.")
    with transaction.atomic(durable=True):
        warning = MemberWarning.objects.create(
            community=community, member=member, moderator=actor, message=message, thread=thread
        )
        _audit(
            actor=actor,
            community=community,
            action="warn_member",
            thread=thread,
            post=post,
            reason=message,
            subject_user_id=member.pk,
        )
        name = known_name(member.pk, community)
        notify(
            recipient_id=member.pk,
            community=community,
            kind=NoticeKind.WARNING,
            subject=f"A warning from the moderators of {name}"
            if name
            else "A warning from the moderators",
            body=f"About {describe(thread, post)}: {message}",
            thread=thread,
        )
    return warning


def ban_author(*, actor: User, thread: Thread, post: Post | None = None, reason: str):
    """Ban the author of a thread or reply from the queue (never an anonymous author), through
    the one ban service."""
    _require_moderator(actor, thread.community)
    return ban_member(
        actor=actor,
        community=thread.community,
        member=_author_to_act_on(thread, post),
        reason=reason,
    )
