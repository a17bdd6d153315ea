"""Emails about notifications: mentions and direct replies, for people who asked for them."""

from django.template.loader import render_to_string
from django.urls import reverse

from communities.core.mail import NOTIFICATION, email_settings_url, member_email, site_url
from communities.core.sending import send_once
from communities.core.zones import in_zone_of
from communities.discussions.models.notifications import Notification
from communities.discussions.selectors.notifications import can_read_thread, shown_actor
from communities.discussions.selectors.threads import ANONYMOUS_NAME
from communities.discussions.services.notifications import EMAIL_KINDS


def notification_path(notification: Notification) -> str:
    """The page of the exact reply (or of the thread) a notification is about; a notice
    carries its own."""
    thread = notification.thread
    if thread is None:
        return notification.url
    url = reverse("communities:thread-detail", args=[thread.community.slug, thread.pk])
    return f"{url}#post-{notification.post_id}" if notification.post_id else url


def actor_name(notification: Notification) -> str:
    actor = shown_actor(notification)
    if actor is not None:
        return actor.public_name
    if notification.thread is None:
        return ""
    return ANONYMOUS_NAME if notification.thread.is_anonymous else "A former member"


def send_notification_email(*, notification_id: int) -> bool:
    """Email one notification once, if its recipient wants email and can still read the
    thread. Returns whether an email went out; running it again sends nothing. Notices are
    not sent here: the app that made one emails in its own words."""
    notification = (
        Notification.objects.select_related("recipient", "actor", "thread__community", "post")
        .filter(pk=notification_id, kind__in=EMAIL_KINDS)
        .first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    recipient = notification.recipient
    if not (recipient.notify_by_email and recipient.is_active and recipient.email):
        return False
    if notification.thread is None or not can_read_thread(recipient, notification.thread):
        return False
    context = {
        "notification": notification,
        "recipient": recipient,
        "actor_name": actor_name(notification),
        "thread": notification.thread,
        "url": site_url(notification_path(notification)),
        "settings_url": email_settings_url(),
    }
    with in_zone_of(recipient):
        message = member_email(
            user=recipient,
            kind=NOTIFICATION,
            subject=render_to_string("communities/notifications/email_subject.txt", context),
            text=render_to_string("communities/notifications/email.txt", context),
            html=render_to_string("communities/notifications/email.html", context),
        )
    return send_once(Notification, notification.pk, field="emailed_at", send=message.send)
