from .communities import (
    active_membership_q,
    content_visible_communities,
    membership_of,
    visible_communities,
)

__all__ = [
    "active_membership_q",
    "content_visible_communities",
    "membership_of",
    "visible_communities",
]
