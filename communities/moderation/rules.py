"""Who may do what in moderation (the queue and its actions ask `moderate_community`)."""

from communities.core.rules import register
from communities.discussions.models.threads import Post
from communities.discussions.rules import takes_part_where


def can_flag_content(user, thread) -> bool:
    """Members who may post where the thread lives may flag it and its replies."""
    return takes_part_where(user, thread)


def can_flag_item(user, item) -> bool:
    """Whether the Flag link shows on a thread or a reply: for someone who may flag where it
    lives, on someone else's words the moderators have not hidden yet (the flag service
    refuses the rest with a reason)."""
    thread = item.thread if isinstance(item, Post) else item
    return (
        user.is_authenticated
        and item.author_id != user.pk
        and not item.is_hidden
        and can_flag_content(user, thread)
    )


register({"flag_content": can_flag_content, "flag_item": can_flag_item})
