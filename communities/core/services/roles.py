from guardian.shortcuts import assign_perm, remove_perm

from communities.core.models.communities import Membership, MembershipStatus, Role

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.MEMBER: set(),
    Role.CHAMPION: set(),
    Role.MODERATOR: {"communities.moderate_community"},
    Role.MANAGER: {"communities.moderate_community", "communities.manage_community"},
}
ALL_ROLE_PERMISSIONS = {"communities.moderate_community", "communities.manage_community"}


def sync_role_permissions(membership: Membership) -> None:
    """Make the guardian object permissions match the membership's role and status.

    Called inside the transaction of every service that changes a role or a status.
    """
    wanted = (
        ROLE_PERMISSIONS[membership.role] if membership.status == MembershipStatus.ACTIVE else set()
    )
    for perm in ALL_ROLE_PERMISSIONS:
        if perm in wanted:
            assign_perm(perm, membership.user, membership.community)
        else:
            remove_perm(perm, membership.user, membership.community)
