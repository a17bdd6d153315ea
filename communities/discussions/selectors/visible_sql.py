"""`visible_threads` as one plain SQL condition on `communities_thread`, for the search page.

The ORM filter of `threads.visible_threads` costs milliseconds of Python to build and compile
on every request; the search page runs at a million posts in a budget of a few. This is the
same rule written once as SQL with the viewer's id as a parameter: the sub-selects are not
correlated, so PostgreSQL reads the viewer's memberships once per statement (hashed), not per
row. `tests/communities/test_search_fast.py` holds it equal to `visible_threads` for every kind
of viewer and thread; change both together.
"""

from communities.circles.models import CircleMembershipStatus
from communities.core.models.communities import MembershipStatus, Role, Visibility

THREAD = "communities_thread"
_ACTIVE_COMMUNITIES = (
    "SELECT m.community_id FROM communities_membership m WHERE m.user_id = %s AND m.status = %s"
)
# `content_visible_communities`: open ones, and those the viewer is an active member of.
_READABLE = (
    f"{THREAD}.community_id IN (SELECT c.id FROM communities_community c "  # noqa: S608 (constants)
    f"WHERE c.visibility = %s OR c.id IN ({_ACTIVE_COMMUNITIES}))"
)
# A circle thread: the circle's active members who are still active members of the community.
_CIRCLE = (
    f"({THREAD}.circle_id IS NULL OR ("  # noqa: S608 (constants)
    f"{THREAD}.circle_id IN (SELECT cm.circle_id FROM communities_circlemembership cm "
    "WHERE cm.user_id = %s AND cm.status = %s) "
    f"AND {THREAD}.community_id IN ({_ACTIVE_COMMUNITIES})))"
)
# A hidden thread: the community's moderators and managers.
_HIDDEN = (
    f"(NOT {THREAD}.is_hidden OR {THREAD}.community_id IN ({_ACTIVE_COMMUNITIES} "
    "AND m.role IN (%s, %s)))"
)
_MEMBER = f"{_READABLE} AND {_CIRCLE} AND {_HIDDEN}"
# Visitors: open communities not held for review; no circle, no hidden thread.
_VISITOR = (
    f"{THREAD}.community_id IN (SELECT c.id FROM communities_community c "  # noqa: S608 (constants)
    "WHERE c.visibility = %s AND NOT c.is_held_for_review) "
    f"AND {THREAD}.circle_id IS NULL AND NOT {THREAD}.is_hidden"
)


def visible_threads_condition(viewer) -> tuple[str, list]:
    """SQL true for exactly the rows of `visible_threads(viewer)`, and its parameters."""
    if getattr(viewer, "is_staff", False):
        return "TRUE", []
    if not viewer.is_authenticated:
        return _VISITOR, [Visibility.OPEN.value]
    active = [viewer.pk, MembershipStatus.ACTIVE.value]
    return _MEMBER, [
        Visibility.OPEN.value,
        *active,
        viewer.pk,
        CircleMembershipStatus.ACTIVE.value,
        *active,
        *active,
        Role.MODERATOR.value,
        Role.MANAGER.value,
    ]
