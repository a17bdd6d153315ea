"""What other apps (mentoring, feedback, knowledge) use of communities.

They import `communities.models`, `communities.hooks` and this module, nothing deeper, so the
inside of communities can be reshaped without breaking them (import-linter checks it).
"""

from communities.core.errors import NotAllowed, StateError
from communities.core.markdown import render_markdown
from communities.core.models.communities import CommunityKind, MembershipStatus, Role, Visibility
from communities.core.selectors import (
    active_membership_q,
    community_content_for_viewer,
    community_for_viewer,
    content_visible_communities,
    membership_of,
    visible_communities,
)
from communities.core.services.membership import join_open_community
from communities.discussions.selectors.threads import shown_author, thread_detail, visible_threads
from communities.discussions.services.threads import clean_tag_names
from communities.permissions import (
    can,
    can_manage_community,
    can_moderate_community,
    can_see_community_content,
    is_active_member,
    require,
)

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

# For communities.health: the stage, thread-kind and flag-state choices it counts by.
from communities.core.models.communities import Stage
from communities.discussions.models.threads import ThreadKind
from communities.moderation.models import FlagStatus

__all__ += ["FlagStatus", "Stage", "ThreadKind"]

# The one "send once" mechanism, for the other apps' emails too: claim a row's `sent_at`-like
# field with a conditional update, send, give the claim back when sending fails.
from communities.core.sending import send_once  # noqa: E402

__all__ += ["send_once"]
