"""Every recurring email of communities carries one-click unsubscribe (RFC 8058) for its own
kind: a POST to its HTTPS link turns off exactly that kind for exactly that member, a GET
changes nothing, a bad token changes nothing, and the email settings page restores it."""

import email
import email.policy
import itertools
import re
from email.utils import parseaddr

import pytest
from django.core import signing
from django.test import Client

from communities import public
from communities.circles.services.reminders import send_reminders_for_meeting
from communities.digests import escalation
from communities.discussions.services.notification_emails import send_notification_email
from communities.models import (
    DigestSettings,
    EmailOptOut,
    EscalationDelivery,
    ModerationNotice,
    Notification,
    User,
)
from communities.moderation.services.notices import notify, send_notice_email
from tests.communities.digests.factories import circle_of, send_batch
from tests.communities.factories import add_member, make_reply, make_thread, new_community

pytestmark = pytest.mark.django_db

SITE = "https://trellis.example"
NUMBERS = itertools.count()
KINDS = ["digest", "escalation", "notification", "meeting_reminder", "moderation"]


@pytest.fixture(autouse=True)
def https_site(settings):
    settings.WAGTAILADMIN_BASE_URL = SITE


def state(user):
    """Every email setting of `user`, read fresh: kind -> on."""
    fresh = User.objects.get(pk=user.pk)
    return {kind: public.wants_email(fresh, kind) for kind in KINDS}


# One real email of each kind, sent to `member` through the code that sends it.


def send_digest(community, member, mailoutbox):
    thread = make_thread(author=add_member(community), community=community, kind="discussion")
    make_reply(author=add_member(community), thread=thread)
    send_batch("weekly", [member], period=f"p{next(NUMBERS)}")


def send_escalation(community, member, mailoutbox):
    thread = make_thread(author=add_member(community), community=community)
    delivery = EscalationDelivery.objects.create(thread=thread, member=member)
    escalation.send_escalation_email(delivery_id=delivery.pk)


def send_notification(community, member, mailoutbox):
    thread = make_thread(author=member, community=community)
    make_reply(author=add_member(community), thread=thread)
    notification = Notification.objects.filter(recipient=member).latest("pk")
    send_notification_email(notification_id=notification.pk)


def send_meeting_reminder(community, member, mailoutbox):
    circle = circle_of(community, member, name=f"Circle {next(NUMBERS)}", meeting_in_hours=5)
    send_reminders_for_meeting(meeting_id=circle.meetings.get().pk)


def send_moderation_notice(community, member, mailoutbox):
    notice = notify(
        recipient_id=member.pk,
        community=community,
        kind="warning",
        subject="A warning from the moderators",
        body="Please keep to the guidelines.",
    )
    send_notice_email(notice_id=notice.pk)


SENDERS = {
    "digest": send_digest,
    "escalation": send_escalation,
    "notification": send_notification,
    "meeting_reminder": send_meeting_reminder,
    "moderation": send_moderation_notice,
}


def unsubscribe_path(message):
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith(f"{SITE}/unsubscribe/")
    return url.removeprefix(SITE)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_email_unsubscribes_exactly_that_kind_for_exactly_that_member(
    kind, mailoutbox
):
    community = new_community()
    member, other = add_member(community), add_member(community)
    SENDERS[kind](community, member, mailoutbox)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert member.email in message.to[0]
    path = unsubscribe_path(message)
    assert public.read_unsubscribe_token(path.split("/")[2]).kind == kind
    # The header survives into the message as sent.
    sent = message.message()
    assert sent["List-Unsubscribe"] == f"<{SITE}{path}>"
    assert "\n" not in message.subject

    mail_client = Client(enforce_csrf_checks=True)  # no session, no CSRF token
    page = mail_client.get(path)
    assert page.status_code == 200
    assert "Nothing has changed yet" in page.content.decode()
    assert state(member) == dict.fromkeys(KINDS, True)

    done = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "You are unsubscribed" in done.content.decode()
    assert state(member) == {k: k != kind for k in KINDS}
    assert state(other) == dict.fromkeys(KINDS, True)
    # Twice is harmless.
    assert mail_client.post(path).status_code == 200

    # The next email of that kind does not go out; the other member still gets theirs.
    mailoutbox.clear()
    SENDERS[kind](community, member, mailoutbox)
    assert mailoutbox == []
    SENDERS[kind](community, other, mailoutbox)
    assert [m.to[0] for m in mailoutbox if member.email in m.to[0]] == []
    assert any(other.email in m.to[0] for m in mailoutbox)


def forged(token):
    return token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")


@pytest.mark.parametrize(
    "story", ["forged", "other member", "unknown kind", "unknown member", "junk"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_bad_tokens_get_a_clear_page_and_change_nothing(story, method):
    community = new_community()
    member, other = add_member(community), add_member(community)
    token = public.unsubscribe_token(user_id=member.pk, kind="meeting_reminder")
    if story == "forged":
        token = forged(token)
    elif story == "other member":
        theirs = public.unsubscribe_token(user_id=other.pk, kind="meeting_reminder")
        token = theirs.split(":")[0] + ":" + ":".join(token.split(":")[1:])
    elif story == "unknown kind":
        # Correctly signed, but for a kind of email Trellis does not send.
        token = signing.dumps(
            {"u": member.pk, "k": "newsletter"}, salt="trellis.digests.unsubscribe"
        )
    elif story == "unknown member":
        token = public.unsubscribe_token(user_id=999_999, kind="meeting_reminder")
    else:
        token = "not-a-token"
    response = getattr(Client(), method)(f"/unsubscribe/{token}/")
    if story == "unknown member" and method == "get":
        # The page asks first; only the POST finds nobody to unsubscribe.
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert "Nothing was changed" in response.content.decode()
    assert not EmailOptOut.objects.exists()
    assert state(member) == dict.fromkeys(KINDS, True)
    assert state(other) == dict.fromkeys(KINDS, True)


def test_the_email_settings_page_shows_what_is_off_and_restores_it(client):
    community = new_community()
    member = add_member(community)
    for kind in ("meeting_reminder", "notification", "escalation"):
        Client().post(f"/unsubscribe/{public.unsubscribe_token(user_id=member.pk, kind=kind)}/")
    client.force_login(member)
    page = client.get("/settings/digests/").content.decode()
    turned_off = re.search(r"<span data-turned-off>(.*?)</span>", page).group(1)
    assert "circle meeting reminders" in turned_off
    assert "mentions and answers" in turned_off
    assert "questions you could help with" in turned_off
    assert "moderation" not in turned_off
    assert 'name="email_meeting_reminder"' in page
    response = client.post(
        "/settings/digests/",
        {"frequency": "weekly", "weekday": "0"}
        | {f"email_{kind.key}": "on" for kind in public.email_kinds() if kind.key != "digest"},
    )
    assert response.status_code == 302
    assert state(member) == dict.fromkeys(KINDS, True)
    assert "data-turned-off" not in client.get("/settings/digests/").content.decode()


def test_turning_digests_on_again_restores_a_weekly_digest():
    member = add_member(new_community())
    Client().post(f"/unsubscribe/{public.unsubscribe_token(user_id=member.pk, kind='digest')}/")
    assert User.objects.get(pk=member.pk).digest_frequency == "never"
    public.set_email_wanted(user=member, kind="digest", wanted=True)
    assert User.objects.get(pk=member.pk).digest_frequency == "weekly"


def test_a_turned_off_moderation_email_still_leaves_the_notice_on_the_outcomes_page(
    client, mailoutbox
):
    community = new_community()
    member = add_member(community)
    public.set_email_wanted(user=member, kind="moderation", wanted=False)
    send_moderation_notice(community, member, mailoutbox)
    assert mailoutbox == []
    assert ModerationNotice.objects.filter(recipient=member).count() == 1


def test_names_with_newlines_cannot_add_headers_to_any_email(mailoutbox):
    community = new_community()
    member = add_member(community)
    User.objects.filter(pk=member.pk).update(display_name="Eve\r\nBcc: victim@example.org")
    member.refresh_from_db()
    for kind in KINDS:
        SENDERS[kind](community, member, mailoutbox)
    assert len(mailoutbox) == len(KINDS)
    for message in mailoutbox:
        # As a mail server reads it: folded lines joined, encoded words decoded.
        sent = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
        assert sent["Bcc"] is None
        assert all("\n" not in str(value) for value in sent.values())
        assert [parseaddr(address)[1] for address in message.recipients()] == [member.email]


def test_one_members_opt_outs_change_nobody_elses_emails():
    community = new_community()
    member, other = add_member(community), add_member(community)
    EmailOptOut.objects.create(user=member, kind="meeting_reminder")
    DigestSettings.objects.create(user=member, wants_escalations=False)
    assert state(other) == dict.fromkeys(KINDS, True)
    assert state(member) == {k: k not in {"meeting_reminder", "escalation"} for k in KINDS} | {
        "digest": True
    }
