from .communities import (
    active_membership_q,
    community_content_for_viewer,
    community_for_viewer,
    content_visible_communities,
    membership_of,
    visible_communities,
)

__all__ = [
    "active_membership_q",
    "community_content_for_viewer",
    "community_for_viewer",
    "content_visible_communities",
    "membership_of",
    "visible_communities",
]
