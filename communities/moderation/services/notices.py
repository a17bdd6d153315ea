"""Private notices from moderation to one person: stored for their outcomes page and
emailed once by a task queued after the write commits."""

from django.conf import settings
from django.urls import reverse

from communities.core.jobs import enqueue_on_commit
from communities.core.mail import MODERATION, member_email, site_url, wants_email
from communities.core.models.communities import Community
from communities.core.models.people import User
from communities.core.selectors import visible_communities
from communities.core.sending import send_once
from communities.core.text import header_text
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
        subject=header_text(subject, limit=200),
        body=body,
        thread=thread,
    )
    enqueue_on_commit("communities.tasks_moderation.send_moderation_notice", notice.pk)
    return notice


def known_name(recipient_id: int | None, community: Community) -> str | None:
    """The community's name if the recipient may know it exists, else None: a thread moved
    into a private community must not tell its author or flaggers what that community is."""
    if recipient_id is None:
        return None
    recipient = User.objects.filter(pk=recipient_id).first()
    if recipient is None or not visible_communities(recipient).filter(pk=community.pk).exists():
        return None
    return community.name


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


def send_notice_email(*, notice_id: int) -> bool:
    """Email one notice to its recipient, once: a second run (or a concurrent one) sends
    nothing."""
    notice = (
        ModerationNotice.objects.select_related("recipient", "community")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        return False
    recipient = notice.recipient
    # Turned off by the member: the notice stays on their moderation outcomes page.
    if not (recipient.is_active and recipient.email) or not wants_email(recipient, MODERATION):
        return False
    link = site_url(reverse("communities:moderation-outcomes"))
    message = member_email(
        user=recipient,
        kind=MODERATION,
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notice.subject}",
        text=f"{notice.body}\n\nSee all moderation news about you: {link}\n",
    )
    return send_once(ModerationNotice, notice.pk, field="emailed_at", send=message.send)
