"""Who may see a community's health: its moderators and managers, and staff. Only managers
(and staff) see members named in the help network and decide on stage proposals."""

from communities.core.rules import register
from communities.public import can_manage_community, can_moderate_community


def can_view_health(user, community) -> bool:
    return can_moderate_community(user, community)


def can_see_network_names(user, community) -> bool:
    return can_manage_community(user, community)


def can_decide_stage_proposal(user, community) -> bool:
    return can_manage_community(user, community)


def can_view_health_overview(user, _obj=None) -> bool:
    return user.is_authenticated and user.is_staff


register({"view_health": can_view_health, "decide_stage_proposal": can_decide_stage_proposal})
