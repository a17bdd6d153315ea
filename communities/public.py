"""What other apps (mentoring, feedback, knowledge) use of communities.

They import `communities.models`, `communities.hooks` and this module, nothing deeper, so the
inside of communities can be reshaped without breaking them (import-linter checks it).
"""

from communities.errors import NotAllowed, StateError
from communities.markdown import render_markdown
from communities.models.communities import CommunityKind, MembershipStatus, Role, Visibility
from communities.permissions import (
    can,
    can_manage_community,
    can_moderate_community,
    can_see_community_content,
    is_active_member,
    require,
)
from communities.selectors import (
    active_membership_q,
    community_content_for_viewer,
    community_for_viewer,
    content_visible_communities,
    membership_of,
    visible_communities,
)
from communities.selectors.discussions import shown_author, thread_detail, visible_threads
from communities.services.membership import join_open_community
from communities.services.threads import clean_tag_names

__all__ = [
    "CommunityKind",
    "MembershipStatus",
    "NotAllowed",
    "Role",
    "StateError",
    "Visibility",
    "active_membership_q",
    "can",
    "can_manage_community",
    "can_moderate_community",
    "can_see_community_content",
    "clean_tag_names",
    "community_content_for_viewer",
    "community_for_viewer",
    "content_visible_communities",
    "is_active_member",
    "join_open_community",
    "membership_of",
    "render_markdown",
    "require",
    "shown_author",
    "thread_detail",
    "visible_communities",
    "visible_threads",
]
