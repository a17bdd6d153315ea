"""The audit log in words: each entry told as a sentence ("Maya made Tomás a champion"), and
the names of the actions a reader can filter by.

Sentences are built from what the entry already carries (actor, subject, target, reason), so
the page needs no query per row; the reason is shown after the sentence by the template (a
move's other community is named there only to those who may know it).
"""

import re

from communities.core.models.audit import AuditEntry

# action -> (what the filter calls it, the sentence after the actor's name)
ACTIONS: dict[str, tuple[str, str]] = {
    "role_changed": ("Role changes", "made {subject} a {role}"),
    "member_removed": ("Removals", "removed {subject} from the community"),
    "member_banned": ("Bans", "banned {subject}"),
    "warn_member": ("Warnings", "warned {subject}"),
    "join_approved": ("Join requests approved", "let {subject} in"),
    "join_declined": ("Join requests declined", "declined {subject}'s request to join"),
    "invitation_created": ("Invitations created", "created {invitation}"),
    "invitation_revoked": ("Invitations withdrawn", "withdrew {invitation}"),
    "guidelines_edited": ("Guideline edits", "edited the guidelines"),
    "threshold_changed": ("Flag threshold changes", "changed the flag threshold"),
    "community_edited": ("Community edits", "edited the community's description"),
    "stage_changed": ("Stage changes", "moved the community to another stage"),
    "prompt_scheduled": ("Prompts scheduled", "scheduled the prompt {target}"),
    "prompt_published": ("Prompts published", "published the prompt {target}"),
    "prompt_cancelled": ("Prompts cancelled", "cancelled the prompt {target}"),
    "hide_thread": ("Threads hidden", "hid {target}"),
    "hide_post": ("Replies hidden", "hid {target}"),
    "restore_thread": ("Threads restored", "restored {target}"),
    "restore_post": ("Replies restored", "restored {target}"),
    "auto_hide_thread": ("Hidden by flags", "hid {target} until a moderator looks"),
    "auto_hide_post": ("Hidden by flags", "hid {target} until a moderator looks"),
    "uphold_flags": ("Flags upheld", "upheld the flags on {target}"),
    "dismiss_flags": ("Flags dismissed", "dismissed the flags on {target}"),
    "lock_thread": ("Threads locked", "locked {target}"),
    "unlock_thread": ("Threads unlocked", "unlocked {target}"),
    "close_duplicate": ("Closed as duplicates", "closed {target} as a duplicate"),
    "move_thread": ("Threads moved", "moved {target}"),
    "move_thread_in": ("Threads moved", "moved {target}"),
    "reveal_anonymous_author": ("Reveals", "learned who asked {target}"),
    "grant_verified_expert": ("Verified experts", "made {subject} a verified expert {tag}"),
    "revoke_verified_expert": ("Verified experts", "withdrew {subject}'s verified expertise {tag}"),
    "approve_held_community": ("Held for review", "approved the community for everyone"),
    "approve_held_circle": ("Held for review", "approved {target} for everyone"),
    "digest_preview": ("Digest previews", "previewed the digest"),
}

# "member → champion: helps newcomers", as `change_role` writes it
ROLE_REASON = re.compile(r"^(?P<old>\w+) → (?P<new>\w+)(?:: (?P<why>.*))?$", re.DOTALL)


def action_choices() -> list[tuple[str, str]]:
    """(label, [actions]) pairs for the filter, one per label, in the order above."""
    seen: dict[str, list[str]] = {}
    for action, (label, _) in ACTIONS.items():
        seen.setdefault(label, []).append(action)
    return [(label, ",".join(actions)) for label, actions in seen.items()]


def _target_words(entry: AuditEntry) -> str:
    target = entry.target
    model = entry.target_type.model if entry.target_type_id else ""
    if target is None:
        return "something since deleted" if entry.target_id else ""
    if model == "thread":
        return f"the thread “{target.title}”"
    if model == "post":
        return f"a reply in “{target.thread.title}”"
    if model == "scheduledprompt":
        return f"“{target.title}”"
    if model == "tag":
        return target.name
    return ""


def _invitation_words(entry: AuditEntry) -> str:
    invitation = entry.target
    if entry.subject_user is not None:
        return f"an invitation for {entry.subject_user.public_name}"
    if invitation is not None and invitation.email:
        return "an invitation by email"
    if invitation is not None:
        uses = "one use" if invitation.max_uses == 1 else f"{invitation.max_uses} uses"
        return f"an invitation link ({uses})"
    return "an invitation"


def sentence(entry: AuditEntry) -> tuple[str, str]:
    """The entry as (sentence, reason still to show after it). The sentence starts with who
    acted ("Trellis" for automatic acts) and never names an anonymous asker: entries about
    anonymous questions carry no subject."""
    who = entry.actor.public_name if entry.actor_id and entry.actor else "Trellis"
    subject = entry.subject_user.public_name if entry.subject_user else "someone"
    reason = entry.reason
    _, words = ACTIONS.get(entry.action, ("", ""))
    if not words:
        return f"{who} did “{entry.action}”", reason
    role = ""
    if entry.action == "role_changed" and (match := ROLE_REASON.match(reason)):
        role = match["new"]
        reason = match["why"] or ""
    elif entry.action == "role_changed":
        words = "changed {subject}'s role"
    tag = _target_words(entry) if "{tag}" in words else ""
    text = words.format(
        subject=subject,
        role=role,
        target=(_target_words(entry) or "something") if "{target}" in words else "",
        invitation=_invitation_words(entry) if "{invitation}" in words else "",
        tag=f"in {tag}" if tag else "",
    )
    return f"{who} {text}".strip(), reason
