"""Creating and editing communities, and moving them through their lifecycle stages."""

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from communities.core import newcomers
from communities.core import rules as permissions
from communities.core.models.audit import AuditEntry
from communities.core.models.communities import (
    Community,
    LifecycleTransition,
    Membership,
    MembershipStatus,
    Role,
    Stage,
)
from communities.core.models.people import User
from communities.core.reasons import require_reason
from communities.core.services import submissions
from communities.core.services.membership import lock_community, save_membership
from communities.core.services.profiles import tags_from_names
from communities.core.text import single_line

EDITABLE_FIELDS = (
    "name",
    "purpose",
    "audience",
    "guidelines",
    "kind",
    "visibility",
    "is_chatham_house",
    "flag_hide_threshold",
)
RESERVED_SLUGS = {"new"}  # /c/new/ is the creation page
SLUG_TAKEN = "Another community already uses the address “%(slug)s”. Choose another."


def _clean(community: Community, *, exclude: list[str]) -> None:
    errors = {}
    if not (community.name or "").strip():
        errors["name"] = "Give the community a name."
    if not (community.purpose or "").strip():
        errors["purpose"] = "Say in a sentence or two what the community is for."
    if errors:
        raise ValidationError(errors)
    community.full_clean(exclude=[*exclude, "created_by"], validate_unique=False)


def _tags(names: list[str]):
    try:
        return tags_from_names(names)
    except ValidationError as error:
        raise ValidationError({"tag_names": error.messages}) from None


def create_community(
    *,
    actor: User,
    name: str,
    slug: str,
    purpose: str,
    kind: str,
    visibility: str,
    audience: str = "",
    guidelines: str = "",
    is_chatham_house: bool = False,
    tags: Sequence[str] = (),
    submission_token: str | None = None,
) -> Community:
    """Create a community in the "potential" stage; the creator becomes its manager, having
    agreed to the guidelines they wrote. Who may create is `TRELLIS_COMMUNITY_CREATORS`.

    The same `submission_token` sent again returns the community it created."""
    permissions.require(actor, "create_community")
    earlier = submissions.earlier_result(user=actor, token=submission_token, model=Community)
    if earlier is not None:
        return earlier
    community = Community(
        name=single_line(name),
        slug=slug.strip(),
        purpose=purpose.strip(),
        audience=audience.strip(),
        guidelines=guidelines,
        kind=kind,
        visibility=visibility,
        is_chatham_house=is_chatham_house,
        stage=Stage.POTENTIAL,
        created_by=actor,
    )
    _clean(community, exclude=[])
    if community.slug in RESERVED_SLUGS:
        raise ValidationError({"slug": f"“{community.slug}” is reserved. Choose another address."})
    if Community.objects.filter(slug=community.slug).exists():
        # A resend of the form that created it finished a moment ago: answer with it.
        earlier = submissions.earlier_result(user=actor, token=submission_token, model=Community)
        if earlier is not None:
            return earlier
        raise ValidationError({"slug": SLUG_TAKEN % {"slug": community.slug}})
    tag_rows = _tags(list(tags))
    established = newcomers.is_established(actor)
    community.is_held_for_review = newcomers.should_hold_for_review(trusted=established)
    try:
        with transaction.atomic(durable=True):
            earlier = submissions.claim_submission(
                user=actor, token=submission_token, model=Community
            )
            if earlier is not None:
                return earlier
            if not established:
                newcomers.lock_account(actor)
                newcomers.check_daily_limit(
                    created=Community.objects.filter(created_by=actor),
                    per_day=settings.TRELLIS_NEW_ACCOUNT_COMMUNITIES_PER_DAY,
                    thing="community",
                    things="communities",
                    verb="start",
                )
            community.save()
            community.tags.set(tag_rows)
            save_membership(
                Membership(
                    user=actor,
                    community=community,
                    role=Role.MANAGER,
                    status=MembershipStatus.ACTIVE,
                    agreed_to_guidelines_at=timezone.now(),
                    agreed_guidelines_version=community.guidelines_version,
                ),
                [],
            )
            submissions.record_submission(user=actor, token=submission_token, result=community)
    except IntegrityError:
        # Someone took the slug between the check and the insert.
        raise ValidationError({"slug": SLUG_TAKEN % {"slug": community.slug}}) from None
    return community


def approve_held_community(*, actor: User, community: Community) -> Community:
    """Staff have seen a community a brand-new account started: anonymous visitors see it
    from now on. Approving it again changes nothing."""
    permissions.require(actor, "approve_held_community", community)
    with transaction.atomic(durable=True):
        if Community.objects.filter(pk=community.pk, is_held_for_review=True).update(
            is_held_for_review=False
        ):
            AuditEntry.objects.create(
                community=community, actor=actor, action="approve_held_community"
            )
    community.is_held_for_review = False
    return community


def update_community(
    *, actor: User, community: Community, tags: list[str] | None = None, **fields
) -> Community:
    """Change what a community says about itself. Changing the guidelines bumps their
    version, so members agree again before they next post; the editor's agreement is kept."""
    permissions.require(actor, "manage_community", community)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable community fields: {sorted(unknown)}")
    if "name" in fields:
        fields["name"] = single_line(fields["name"])
    tag_rows = _tags(tags) if tags is not None else None
    with transaction.atomic(durable=True):
        community = lock_community(community)
        old_threshold = community.flag_hide_threshold
        changed = [name for name, value in fields.items() if getattr(community, name) != value]
        for name in changed:
            setattr(community, name, fields[name])
        _clean(community, exclude=["slug"])
        if "guidelines" in changed:
            community.guidelines_version += 1
            changed.append("guidelines_version")
            Membership.objects.filter(
                community=community, user_id=actor.pk, status=MembershipStatus.ACTIVE
            ).update(
                agreed_to_guidelines_at=timezone.now(),
                agreed_guidelines_version=community.guidelines_version,
            )
        if changed:
            community.save(update_fields=changed)
            _audit_edit(actor, community, changed, old_threshold)
        if tag_rows is not None:
            community.tags.set(tag_rows)
    return community


def _audit_edit(actor: User, community: Community, changed: list[str], old_threshold) -> None:
    """One entry for the guidelines, one for the flag threshold, one for everything else."""

    def entry(action: str, reason: str = "") -> None:
        AuditEntry.objects.create(community=community, actor=actor, action=action, reason=reason)

    if "guidelines" in changed:
        entry("guidelines_edited", f"version {community.guidelines_version}")
    if "flag_hide_threshold" in changed:
        entry("threshold_changed", f"{old_threshold:g} → {community.flag_hide_threshold:g}")
    rest = [
        str(getattr(Community._meta.get_field(name), "verbose_name", name))
        for name in changed
        if name not in ("guidelines", "guidelines_version", "flag_hide_threshold")
    ]
    if rest:
        entry("community_edited", ", ".join(rest))


def change_stage(*, actor: User, community: Community, to_stage: str, reason: str) -> Community:
    """A manager moves the community to another lifecycle stage; the move is kept in its
    stage history with the reason."""
    permissions.require(actor, "manage_community", community)
    errors: dict[str, list[str]] = {}
    if to_stage not in Stage.values:
        errors["to_stage"] = ["Choose one of the stages."]
    try:
        reason = require_reason(
            reason, message="Say why the community is moving; it shows in the stage history."
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        community = lock_community(community)
        if community.stage == to_stage:
            raise ValidationError(
                {"to_stage": f"It is already in the {community.get_stage_display()} stage."}
            )
        LifecycleTransition.objects.create(
            community=community,
            from_stage=community.stage,
            to_stage=to_stage,
            reason=reason,
            actor=actor,
        )
        old_stage = community.get_stage_display()
        community.stage = to_stage
        community.save(update_fields=["stage"])
        AuditEntry.objects.create(
            community=community,
            actor=actor,
            action="stage_changed",
            reason=f"{old_stage} → {community.get_stage_display()}: {reason}",
        )
    return community
