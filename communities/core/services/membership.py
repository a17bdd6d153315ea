"""Joining open communities, agreeing to guidelines, leaving, roles, removal and bans.

Every change of a role or a status goes through `_save_membership`, which keeps the guardian
object permissions in step and queues a fresh member count once the transaction commits.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from communities import hooks
from communities.core import rules as permissions
from communities.core.errors import NotAllowed
from communities.core.jobs import enqueue_on_commit
from communities.core.models.audit import AuditEntry
from communities.core.models.communities import (
    Community,
    Membership,
    MembershipStatus,
    Role,
    Visibility,
)
from communities.core.models.joining import JoinRequest, JoinRequestStatus
from communities.core.models.people import User
from communities.core.reasons import require_reason
from communities.core.services.roles import sync_role_permissions
from communities.core.signals import membership_ending

BANNED_MESSAGE = "You were banned from this community, so you can't join it again."


def lock_community(community: Community) -> Community:
    """The community row, locked until the transaction ends, so checks that span several
    memberships (the last manager, a seat) see no concurrent change."""
    return Community.objects.select_for_update().get(pk=community.pk)


def locked_membership(*, user: User, community: Community) -> Membership | None:
    return (
        Membership.objects.select_for_update()
        .filter(user_id=user.pk, community_id=community.pk)
        .first()
    )


def save_membership(membership: Membership, fields: list[str]) -> Membership:
    """Write the named fields, then make permissions and the member count follow."""
    if membership.pk is None:
        membership.save()
    else:
        membership.save(update_fields=[*fields, "updated_at"])
    sync_role_permissions(membership)
    enqueue_on_commit("communities.tasks.refresh_member_count", membership.community_id)
    return membership


def refresh_member_count(*, community_id: int) -> int:
    """Store the number of active members on the community row; safe to run any time."""
    count = Community.objects.filter(pk=community_id).aggregate(
        n=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE))
    )["n"]
    Community.objects.filter(pk=community_id).update(member_count=count)
    return count


def all_community_ids() -> list[int]:
    return list(Community.objects.order_by("pk").values_list("pk", flat=True))


def refuse_banned(membership: Membership | None) -> None:
    if membership is not None and membership.status == MembershipStatus.BANNED:
        raise NotAllowed(BANNED_MESSAGE)


def require_agreement(agreed_to_guidelines: bool) -> None:
    if not agreed_to_guidelines:
        raise ValidationError(
            {"agreed_to_guidelines": "Tick “I agree to the guidelines” to join; read them first."}
        )


def activate_membership(*, user: User, community: Community, agreed_at=None) -> Membership:
    """Make `user` an active plain member (a new row or a former one), inside the caller's
    transaction. `agreed_at` records agreement to the current guidelines; None keeps the
    agreement already stored (e.g. given with a join request)."""
    membership = locked_membership(user=user, community=community)
    refuse_banned(membership)
    if membership is not None and membership.status == MembershipStatus.ACTIVE:
        raise ValidationError("You are already a member of this community.")
    if membership is None:
        membership = Membership(user=user, community=community)
    membership.status = MembershipStatus.ACTIVE
    membership.role = Role.MEMBER
    if agreed_at is not None:
        membership.agreed_to_guidelines_at = agreed_at
        membership.agreed_guidelines_version = community.guidelines_version
    fields = ["status", "role", "agreed_to_guidelines_at", "agreed_guidelines_version"]
    membership = save_membership(membership, fields)
    _announce_on_commit(hooks.member_joined, membership)
    return membership


def _announce_on_commit(signal, membership: Membership, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=Membership, membership=membership, **kwargs))


def join_open_community(
    *, user: User, community: Community, agreed_to_guidelines: bool
) -> Membership:
    """Join an open community at once. Stores when the guidelines were agreed to and which
    version; refuses banned people, double joins and communities that are not open."""
    if not user.is_authenticated:
        raise NotAllowed("Sign in to join a community.")
    require_agreement(agreed_to_guidelines)
    with transaction.atomic(durable=True):
        community = lock_community(community)
        if community.visibility == Visibility.RESTRICTED:
            raise ValidationError("This community reviews new members: send a join request.")
        if community.visibility == Visibility.PRIVATE:
            raise ValidationError("This community is by invitation only.")
        return activate_membership(user=user, community=community, agreed_at=timezone.now())


def agree_to_guidelines(*, user: User, community: Community) -> Membership:
    """Record that an active member agreed to the current version of the guidelines."""
    with transaction.atomic(durable=True):
        community = Community.objects.get(pk=community.pk)
        membership = locked_membership(user=user, community=community)
        if membership is None or membership.status != MembershipStatus.ACTIVE:
            raise ValidationError("Only members agree to a community's guidelines.")
        membership.agreed_to_guidelines_at = timezone.now()
        membership.agreed_guidelines_version = community.guidelines_version
        membership.save(
            update_fields=["agreed_to_guidelines_at", "agreed_guidelines_version", "updated_at"]
        )
    return membership


def _active_manager_count(community: Community) -> int:
    return Membership.objects.filter(
        community=community, role=Role.MANAGER, status=MembershipStatus.ACTIVE
    ).count()


def _refuse_losing_last_manager(membership: Membership, message: str) -> None:
    if (
        membership.role == Role.MANAGER
        and membership.status == MembershipStatus.ACTIVE
        and _active_manager_count(membership.community) <= 1
    ):
        raise ValidationError(message)


def leave_community(*, user: User, community: Community) -> Membership:
    """Leave (or withdraw a pending request). The last active manager cannot leave."""
    with transaction.atomic(durable=True):
        community = lock_community(community)
        membership = locked_membership(user=user, community=community)
        if membership is None or membership.status not in (
            MembershipStatus.ACTIVE,
            MembershipStatus.PENDING,
        ):
            raise ValidationError("You are not a member of this community.")
        _refuse_losing_last_manager(
            membership,
            "You are the last manager. Appoint another manager before you leave.",
        )
        JoinRequest.objects.filter(
            community=community, user_id=user.pk, status=JoinRequestStatus.PENDING
        ).update(status=JoinRequestStatus.WITHDRAWN)
        membership.status = MembershipStatus.LEFT
        membership.role = Role.MEMBER
        membership_ending.send(sender=Membership, community=community, user=user)
        membership = save_membership(membership, ["status", "role"])
        _announce_on_commit(hooks.membership_ended, membership, reason="left")
        return membership


# Moderators (who don't manage) may ban only these roles; managers and staff ban anyone but
# the last manager.
BANNABLE_BY_MODERATORS = {Role.MEMBER, Role.CHAMPION}


def _require_may_end(
    *, actor: User, community: Community, member: User, membership: Membership, ban: bool
) -> None:
    if permissions.can(actor, "manage_community", community):
        return
    if (
        ban
        and permissions.can(actor, "moderate_community", community)
        and membership.role in BANNABLE_BY_MODERATORS
        and not member.is_staff
    ):
        return
    if ban and permissions.can(actor, "moderate_community", community):
        raise NotAllowed(f"You can't ban a {membership.get_role_display().lower()}; ask a manager.")
    raise NotAllowed("You don't have permission to do that.")


def _end_membership(
    *, actor: User, community: Community, member: User, reason: str, status: str, action: str
) -> Membership:
    ban = status == MembershipStatus.BANNED
    if not (
        permissions.can(actor, "manage_community", community)
        or (ban and permissions.can(actor, "moderate_community", community))
    ):
        raise NotAllowed("You don't have permission to do that.")
    reason = require_reason(reason, message="Give a reason; it is kept in the audit log.")
    if member.pk == actor.pk:
        raise ValidationError("To step out yourself, leave the community instead.")
    with transaction.atomic(durable=True):
        community = lock_community(community)
        membership = locked_membership(user=member, community=community)
        if membership is None or membership.status not in (
            MembershipStatus.ACTIVE,
            MembershipStatus.PENDING,
        ):
            raise ValidationError(f"{member.public_name} is not a member of this community.")
        _require_may_end(
            actor=actor, community=community, member=member, membership=membership, ban=ban
        )
        _refuse_losing_last_manager(
            membership, "This is the last manager; appoint another manager first."
        )
        JoinRequest.objects.filter(
            community=community, user_id=member.pk, status=JoinRequestStatus.PENDING
        ).update(status=JoinRequestStatus.DECLINED, decided_by=actor, decided_at=timezone.now())
        membership.status = status
        membership.role = Role.MEMBER
        membership_ending.send(sender=Membership, community=community, user=member)
        save_membership(membership, ["status", "role"])
        AuditEntry.objects.create(
            community=community, actor=actor, action=action, subject_user=member, reason=reason
        )
        ended_because = "banned" if status == MembershipStatus.BANNED else "removed"
        _announce_on_commit(hooks.membership_ended, membership, reason=ended_because)
    return membership


def remove_member(*, actor: User, community: Community, member: User, reason: str) -> Membership:
    """A manager removes a member, with a logged reason. They may join again later."""
    return _end_membership(
        actor=actor,
        community=community,
        member=member,
        reason=reason,
        status=MembershipStatus.LEFT,
        action="member_removed",
    )


def ban_member(*, actor: User, community: Community, member: User, reason: str) -> Membership:
    """The one ban: a manager (or staff) bans anyone but the last manager, a moderator bans
    members and champions; from the member page and from the moderation queue alike. The
    role goes back to member, circle seats and pending join requests close, one audit entry
    ("member_banned") keeps the reason, and no path lets them back in."""
    return _end_membership(
        actor=actor,
        community=community,
        member=member,
        reason=reason,
        status=MembershipStatus.BANNED,
        action="member_banned",
    )


def change_role(
    *, actor: User, community: Community, member: User, role: str, reason: str = ""
) -> Membership:
    """A manager appoints an active member as member, champion, moderator or manager.
    The community always keeps at least one active manager."""
    permissions.require(actor, "manage_community", community)
    if role not in Role.values:
        raise ValidationError({"role": "Choose member, champion, moderator or manager."})
    with transaction.atomic(durable=True):
        community = lock_community(community)
        membership = locked_membership(user=member, community=community)
        if membership is None or membership.status != MembershipStatus.ACTIVE:
            raise ValidationError(f"{member.public_name} is not an active member.")
        if membership.role == role:
            raise ValidationError(
                f"{member.public_name} is already a {membership.get_role_display().lower()}."
            )
        if role != Role.MANAGER:
            _refuse_losing_last_manager(
                membership,
                "A community needs at least one manager. Appoint another manager first.",
            )
        old_role = membership.role
        membership.role = role
        save_membership(membership, ["role"])
        AuditEntry.objects.create(
            community=community,
            actor=actor,
            action="role_changed",
            subject_user=member,
            reason=f"{old_role} → {role}" + (f": {reason.strip()}" if reason.strip() else ""),
        )
    return membership
