"""Who may do what in moderation (the queue and its actions ask `moderate_community`)."""

from communities.core.rules import register
from communities.discussions.rules import takes_part_where


def can_flag_content(user, thread) -> bool:
    """Members who may post where the thread lives may flag it and its replies."""
    return takes_part_where(user, thread)


register({"flag_content": can_flag_content})
