"""Who may do what in communities: one place for pages, the admin, the API and the other apps.

Each package keeps its rules in its own `rules.py` (`core`, `circles`, `discussions`,
`moderation`) and registers them with `communities.core.rules`; importing this module makes
sure all of them are registered, and re-exports the questions the rest of Trellis asks.
Views call `require`; templates use the `{% can %}` tag.
"""

from communities.circles.rules import (
    can_approve_held_circle,
    can_join_circle,
    can_post_in_circle,
    can_propose_circle,
    can_see_reflections,
    can_view_meetings,
    can_write_meeting_notes,
    is_active_circle_member,
)
from communities.core.rules import (
    RULES,
    can,
    can_approve_held_community,
    can_create_community,
    can_manage_community,
    can_moderate_community,
    can_post_in_community,
    can_see_community_content,
    has_agreed_to_current_guidelines,
    is_active_member,
    must_agree_again,
    require,
)
from communities.discussions.rules import (
    can_accept_answer,
    can_edit_post,
    can_edit_thread,
    can_mark_verified_answer,
    can_reply_to_thread,
    can_reveal_anonymous_author,
    can_view_revisions,
    is_author_of,
    is_verified_expert,
)
from communities.moderation.rules import can_flag_content

__all__ = [
    "RULES",
    "can",
    "can_accept_answer",
    "can_approve_held_circle",
    "can_approve_held_community",
    "can_create_community",
    "can_edit_post",
    "can_edit_thread",
    "can_flag_content",
    "can_join_circle",
    "can_manage_community",
    "can_mark_verified_answer",
    "can_moderate_community",
    "can_post_in_circle",
    "can_post_in_community",
    "can_propose_circle",
    "can_reply_to_thread",
    "can_reveal_anonymous_author",
    "can_see_community_content",
    "can_see_reflections",
    "can_view_meetings",
    "can_view_revisions",
    "can_write_meeting_notes",
    "has_agreed_to_current_guidelines",
    "is_active_circle_member",
    "is_active_member",
    "is_author_of",
    "is_verified_expert",
    "must_agree_again",
    "require",
]
