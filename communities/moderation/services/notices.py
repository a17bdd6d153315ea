"""Private notices from moderation to one person: stored for their outcomes page and
emailed once by a task queued after the write commits."""

from communities.core.jobs import enqueue_on_commit
from communities.core.models.communities import Community
from communities.core.models.people import User
from communities.discussions.models.threads import Post, Thread
from communities.moderation.models import ModerationNotice


def notify(
    *,
    recipient_id: int | None,
    community: Community,
    kind: str,
    subject: str,
    body: str,
    thread: Thread | None = None,
) -> ModerationNotice | None:
    if recipient_id is None:
        return None
    notice = ModerationNotice.objects.create(
        recipient_id=recipient_id,
        community=community,
        kind=kind,
        subject=subject[:200],
        body=body,
        thread=thread,
    )
    enqueue_on_commit("communities.tasks_moderation.send_moderation_notice", notice.pk)
    return notice


def describe(thread: Thread, post: Post | None) -> str:
    """How a notice names the item, e.g. `your reply in “Title”`."""
    if post is None:
        return f"your thread “{thread.title}”"
    return f"your reply in “{thread.title}”"


def is_anonymous_content(thread: Thread, post: Post | None) -> bool:
    """The anonymous asker's question, or their replies inside it: nobody may learn who."""
    author_id = thread.author_id if post is None else post.author_id
    return thread.is_anonymous and author_id == thread.author_id


def public_author_id(thread: Thread, post: Post | None) -> int | None:
    """The author to name in the audit log: never the anonymous asker."""
    if is_anonymous_content(thread, post):
        return None
    return thread.author_id if post is None else post.author_id


def author_of(thread: Thread, post: Post | None) -> User | None:
    return thread.author if post is None else post.author
