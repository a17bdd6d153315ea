"""Conversation starters: managers write them from templates, publish now or schedule them."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from communities.core import rules as permissions
from communities.core.errors import NotAllowed, StateError
from communities.core.models.audit import AuditEntry
from communities.core.models.communities import Community
from communities.core.models.people import User
from communities.core.services.profiles import tags_from_names
from communities.core.text import single_line
from communities.discussions.models.prompts import PromptKind, PromptStatus, ScheduledPrompt
from communities.discussions.models.threads import ThreadKind
from communities.discussions.services.threads import create_thread, prepare_thread

MAX_SCHEDULE_AHEAD = datetime.timedelta(days=366)
# A prompt set for "now" in a form submitted a moment later is still meant for now.
PAST_GRACE = datetime.timedelta(minutes=5)

PLACEHOLDER = "**…**"

# The starter text a manager begins from, per kind of prompt that works.
PROMPT_TEMPLATES: dict[str, dict[str, str]] = {
    PromptKind.EXPERIENCE: {
        "title": "Tell us about a time when…",
        "body": "Share a moment from your own practice when **…** happened.\n\n"
        "- What was the situation?\n- What did you do?\n- What would you do again, "
        "and what would you change?",
    },
    PromptKind.ADVICE_SEEKING: {
        "title": "What would you advise someone who…?",
        "body": "Imagine a colleague who is just starting to **…**.\n\n"
        "What is the one piece of advice you wish someone had given you? "
        "Tell us why it matters.",
    },
    PromptKind.OPINION: {
        "title": "Where do you stand on…?",
        "body": "Some of us say **…**, others say the opposite.\n\n"
        "Where do you stand, and what experience brought you there? "
        "Disagreement is welcome; say it kindly.",
    },
    PromptKind.PROBLEM_SOLVING: {
        "title": "How would you solve this?",
        "body": "Here is a problem many of us meet: **…**\n\n"
        "How would you approach it? Small steps, tools, and things that didn't work "
        "are all useful answers.",
    },
    PromptKind.CREATIVE: {
        "title": "What if…?",
        "body": "Let's imagine: what if **…**?\n\n"
        "Describe what it would look like in your work. Wild ideas first; "
        "we can make them practical later.",
    },
    PromptKind.REFLECTIVE: {
        "title": "Looking back on…",
        "body": "Take a moment to look back on **…**.\n\n"
        "What did you learn, what surprised you, and what will you carry into "
        "the next month?",
    },
}


def _clean(
    *, author: User, community: Community, kind: str, title: str, body: str, tag_names
) -> dict:
    if kind not in PromptKind.values:
        raise ValidationError({"kind": "Choose one of the six kinds of prompt."})
    template = PROMPT_TEMPLATES[kind]
    if single_line(title) == template["title"]:
        raise ValidationError({"title": "Finish the title: replace the “…” with your topic."})
    if PLACEHOLDER in (body or ""):
        raise ValidationError({"body": "Replace the “…” in bold with your own words."})
    # The thread service owns what a valid title, body and tag list is.
    return prepare_thread(
        author=author,
        community=community,
        kind=ThreadKind.PROMPT,
        title=title,
        body=body,
        tag_names=tag_names,
    )


def create_prompt(
    *,
    author: User,
    community: Community,
    kind: str,
    title: str,
    body: str,
    tag_names: Sequence[str] = (),
    publish_at: datetime.datetime | None = None,
) -> ScheduledPrompt:
    """A manager writes a prompt: published at once when `publish_at` is empty (or now),
    otherwise scheduled for `publish_at`, when `publish_due_prompts` turns it into a thread."""
    permissions.require(author, "manage_prompts", community)
    prepared = _clean(
        author=author, community=community, kind=kind, title=title, body=body, tag_names=tag_names
    )
    now = timezone.now()
    if publish_at is not None:
        if publish_at < now - PAST_GRACE:
            raise ValidationError(
                {
                    "publish_at": "That time has passed. Choose a later one, or leave it empty "
                    "to publish now."
                }
            )
        if publish_at > now + MAX_SCHEDULE_AHEAD:
            raise ValidationError({"publish_at": "Schedule prompts at most a year ahead."})
    publish_now = publish_at is None or publish_at <= now
    with transaction.atomic(durable=True):
        prompt = ScheduledPrompt.objects.create(
            community=community,
            author=author,
            kind=kind,
            title=prepared["title"],
            body=prepared["body"],
            publish_at=now if publish_now or publish_at is None else publish_at,
            status=PromptStatus.PUBLISHED if publish_now else PromptStatus.SCHEDULED,
            published_at=now if publish_now else None,
        )
        prompt.tags.set(tags_from_names(prepared["tag_names"]))
        AuditEntry.objects.create(
            community=community,
            actor=author,
            action="prompt_published" if publish_now else "prompt_scheduled",
            target=prompt,
        )
        if publish_now:
            prompt.published_thread = create_thread(**prepared)
            prompt.save(update_fields=["published_thread"])
    return prompt


def cancel_prompt(*, actor: User, prompt: ScheduledPrompt) -> ScheduledPrompt:
    """Cancel a prompt that has not been published yet. Cancelling twice changes nothing."""
    permissions.require(actor, "manage_prompts", prompt.community)
    with transaction.atomic(durable=True):
        if ScheduledPrompt.objects.filter(pk=prompt.pk, status=PromptStatus.SCHEDULED).update(
            status=PromptStatus.CANCELLED
        ):
            AuditEntry.objects.create(
                community=prompt.community, actor=actor, action="prompt_cancelled", target=prompt
            )
        prompt = ScheduledPrompt.objects.get(pk=prompt.pk)
        if prompt.status not in (PromptStatus.CANCELLED,):
            raise StateError(
                f"This prompt is {prompt.get_status_display().lower()}; "
                "only scheduled prompts can be cancelled."
            )
    return prompt


def due_prompt_ids(*, now: datetime.datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        ScheduledPrompt.objects.filter(status=PromptStatus.SCHEDULED, publish_at__lte=now)
        .order_by("publish_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def publish_prompt(*, prompt_id: int) -> ScheduledPrompt | None:
    """Turn one due scheduled prompt into a thread of kind "prompt", exactly once.

    The row is claimed with a conditional update inside the same transaction that writes
    the thread: a concurrent run waits on the row and then finds nothing to claim, and a
    crash rolls both back. Returns None when there was nothing to publish. A prompt whose
    author may no longer post is marked failed with the reason, for the managers to see.
    """
    with transaction.atomic(durable=True):
        claimed = ScheduledPrompt.objects.filter(
            pk=prompt_id, status=PromptStatus.SCHEDULED, publish_at__lte=timezone.now()
        ).update(status=PromptStatus.PUBLISHING)
        if not claimed:
            return None
        prompt = ScheduledPrompt.objects.select_related("community", "author").get(pk=prompt_id)
        try:
            if prompt.author is None:
                raise NotAllowed("The manager who wrote it no longer has an account.")
            # Scheduled while a manager; published only if they still are one.
            if not permissions.can(prompt.author, "manage_prompts", prompt.community):
                raise NotAllowed("The person who wrote it no longer manages this community.")
            prepared = _clean(
                author=prompt.author,
                community=prompt.community,
                kind=prompt.kind,
                title=prompt.title,
                body=prompt.body,
                tag_names=[tag.name for tag in prompt.tags.all()],
            )
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            prompt.status = PromptStatus.FAILED
            prompt.failure_reason = (reason or "Its author may no longer post here.")[:300]
            prompt.save(update_fields=["status", "failure_reason"])
            return prompt
        prompt.published_thread = create_thread(**prepared)
        prompt.status = PromptStatus.PUBLISHED
        prompt.published_at = timezone.now()
        prompt.save(update_fields=["published_thread", "status", "published_at"])
    return prompt
