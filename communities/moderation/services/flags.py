"""Flagging a thread or reply, weighted by the flagger's record, and hiding it pending
review when the weight of its open flags reaches the community's threshold."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.http import Http404

from communities.core import rules as permissions
from communities.core.errors import StateError
from communities.core.models.audit import AuditEntry
from communities.core.models.communities import Community
from communities.core.models.people import User
from communities.discussions.models.threads import Post, Thread
from communities.discussions.selectors.threads import visible_threads
from communities.discussions.services import contributions, counters
from communities.discussions.services.inbox import notify_flag_waiting
from communities.discussions.services.limits import is_new_member
from communities.discussions.services.threads import update_search_index
from communities.moderation.models import (
    FLAG_NOTE_MAX_LENGTH,
    Flag,
    FlagReason,
    FlagStatus,
    NoticeKind,
)
from communities.moderation.services.notices import (
    describe,
    known_name,
    notify,
    public_author_id,
)


def explain_flag_weights(community: Community) -> str:
    """`flag_weight` and the hiding threshold in one sentence, for the pages that show
    weights (the moderation queue, the flag form)."""
    member = settings.TRELLIS_FLAG_WEIGHT_MEMBER
    return (
        f"A flag's weight is how much it counts: {settings.TRELLIS_FLAG_WEIGHT_MODERATOR:g} from "
        f"a moderator or manager, {settings.TRELLIS_FLAG_WEIGHT_NEW_MEMBER:g} from a new member, "
        f"and from anyone else {member:g} plus the share of their earlier flags that moderators "
        f"upheld (up to {member + 1:g}); when the open flags on a thread or reply add up to "
        f"{community.flag_hide_threshold:g}, it is hidden until a moderator reviews it."
    )


def flag_weight(user: User, community: Community) -> float:
    """Moderators count most; new members least; others 1 plus the share of their resolved
    flags that moderators upheld."""
    if permissions.can_moderate_community(user, community):
        return settings.TRELLIS_FLAG_WEIGHT_MODERATOR
    if is_new_member(user, community):
        return settings.TRELLIS_FLAG_WEIGHT_NEW_MEMBER
    record = (
        Flag.objects.filter(flagger=user)
        .exclude(status=FlagStatus.OPEN)
        .aggregate(total=Count("pk"), upheld=Count("pk", filter=Q(status=FlagStatus.UPHELD)))
    )
    ratio = record["upheld"] / record["total"] if record["total"] else 0.0
    return settings.TRELLIS_FLAG_WEIGHT_MEMBER + ratio


def open_flags_on(thread: Thread, post: Post | None):
    flags = Flag.objects.filter(thread=thread, status=FlagStatus.OPEN)
    return flags.filter(post=post) if post is not None else flags.filter(post__isnull=True)


def _item_to_flag(flagger: User, thread: Thread, post: Post | None) -> tuple[Thread, Post | None]:
    found = (
        visible_threads(flagger).select_related("community", "circle").filter(pk=thread.pk).first()
    )
    if found is None:
        raise Http404
    if post is not None:
        post = Post.objects.filter(pk=post.pk, thread=found).first()
        if post is None:
            raise Http404
    if not permissions.can(flagger, "flag_content", found):
        raise permissions.NotAllowed("Only members of this community can flag its posts.")
    author_id = found.author_id if post is None else post.author_id
    if author_id == flagger.pk:
        raise ValidationError("You can't flag your own post; edit it instead.")
    if found.is_hidden or (post is not None and post.is_hidden):
        raise StateError("The moderators have already hidden this; no need to flag it.")
    return found, post


def flag_content(
    *, flagger: User, thread: Thread, post: Post | None = None, reason: str, note: str = ""
) -> tuple[Flag, bool]:
    """Flag a thread (or one of its replies). Returns the flag and whether this call raised it:
    flagging the same thing twice while the first flag is open changes nothing, also when
    both arrive at once. The item is hidden at once when the open flags weigh enough."""
    if reason not in FlagReason.values:
        raise ValidationError({"reason": "Choose why you are flagging this."})
    note = (note or "").strip()
    if len(note) > FLAG_NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": f"Keep the note under {FLAG_NOTE_MAX_LENGTH:,} characters ({len(note):,})."}
        )
    if reason == FlagReason.OTHER and not note:
        raise ValidationError({"note": "Tell the moderators what is wrong with it."})
    thread, post = _item_to_flag(flagger, thread, post)
    community = thread.community
    with transaction.atomic(durable=True):
        # Flags on one item queue behind each other, so the sum below sees every flag.
        # The thread is locked before the reply, as every writer of its counters does.
        thread = (
            Thread.objects.select_for_update(of=("self",))
            .select_related("community")
            .get(pk=thread.pk)
        )
        if post is not None:
            post = Post.objects.select_for_update().get(pk=post.pk)
        existing = open_flags_on(thread, post).filter(flagger=flagger).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                flag = Flag.objects.create(
                    community=community,
                    thread=thread,
                    post=post,
                    flagger=flagger,
                    reason=reason,
                    note=note,
                    weight=flag_weight(flagger, community),
                )
        except IntegrityError:
            return open_flags_on(thread, post).get(flagger=flagger), False
        if not open_flags_on(thread, post).exclude(pk=flag.pk).exists():
            # The item just entered the queue: its first open flag names the notice.
            notify_flag_waiting(
                community=community,
                thread_id=thread.pk,
                post_id=post.pk if post is not None else None,
                flag_id=flag.pk,
                flagger_id=flagger.pk,
            )
        _hide_when_heavy(thread, post)
    return flag, True


def _hide_when_heavy(thread: Thread, post: Post | None) -> None:
    community = thread.community
    flags = open_flags_on(thread, post)
    weight = flags.aggregate(total=Sum("weight"))["total"] or 0.0
    if weight < community.flag_hide_threshold:
        return
    item = post if post is not None else thread
    if not type(item).objects.filter(pk=item.pk, is_hidden=False).update(is_hidden=True):
        return
    if post is not None:
        counters.reply_hidden_changed(post_id=post.pk, hidden=True)
    contributions.reroll_later(community_id=community.pk)
    reasons = sorted({flag.get_reason_display().lower() for flag in flags})
    reason = (
        f"Hidden automatically pending review: {flags.count()} members flagged it "
        f"({', '.join(reasons)})."
    )
    AuditEntry.objects.create(
        community=community,
        actor=None,
        action="auto_hide_post" if post is not None else "auto_hide_thread",
        subject_user_id=public_author_id(thread, post),
        target=item,
        reason=reason,
    )
    update_search_index(thread)
    author_id = thread.author_id if post is None else post.author_id
    name = known_name(author_id, community)
    notify(
        recipient_id=author_id,
        community=community,
        kind=NoticeKind.CONTENT_HIDDEN,
        subject=f"We hid {describe(thread, post)} while a moderator looks at it",
        body=(
            f"Members{f' of {name}' if name else ''} flagged {describe(thread, post)} as "
            f"{', '.join(reasons)}, so it is hidden until a moderator reviews it. "
            "Nothing is deleted: if the moderators find it fine, it comes back as it was. "
            f"Please read the community's guidelines in the meantime."
        ),
        thread=thread,
    )
