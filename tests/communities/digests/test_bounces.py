"""Bounces: delivery-status notifications (RFC 3464) as a mail server returns them, read from
a Maildir or an mbox, stop digests to the address; its owner sees why and clears it."""

import mailbox
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from communities.digests import bounces, escalation
from communities.models import DigestDelivery, DigestSettings, EscalationDelivery, User
from tests.communities.digests.factories import send_batch
from tests.communities.factories import UserFactory, add_member, make_reply, make_thread
from tests.communities.factories import new_community as community_with_news

pytestmark = pytest.mark.django_db


def delivery_status_notification(
    recipient: str,
    *,
    action: str = "failed",
    status: str = "5.1.1",
    diagnostic: str = "smtp; 550 5.1.1 <{recipient}>: Recipient address rejected: User unknown",
) -> bytes:
    """A bounce the way Postfix sends one: multipart/report with a human part, the
    machine-readable message/delivery-status part and the returned headers."""
    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"] = "MAILER-DAEMON@mail.trellis.example (Mail Delivery System)"
    report["To"] = "digests@trellis.example"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report.attach(
        MIMEText("I'm sorry to have to inform you that your message could not be delivered.")
    )
    per_message = Message()
    per_message["Reporting-MTA"] = "dns; mail.trellis.example"
    per_message["Arrival-Date"] = "Sat, 28 Nov 2026 07:00:01 +0000"
    per_recipient = Message()
    per_recipient["Final-Recipient"] = f"rfc822; {recipient}"
    per_recipient["Original-Recipient"] = f"rfc822;{recipient}"
    per_recipient["Action"] = action
    per_recipient["Status"] = status
    per_recipient["Remote-MTA"] = "dns; mx.example.org"
    per_recipient["Diagnostic-Code"] = diagnostic.format(recipient=recipient)
    status_part = Message()
    status_part.set_type("message/delivery-status")
    status_part.set_payload([per_message, per_recipient])
    report.attach(status_part)
    returned = MIMEText("From: digests@trellis.example\nSubject: Your week on Trellis\n")
    returned.set_type("text/rfc822-headers")
    report.attach(returned)
    return report.as_bytes()


def auto_reply(to: str) -> bytes:
    message = MIMEText("I am away until Monday.")
    message["From"] = to
    message["Subject"] = "Out of office"
    return message.as_bytes()


@pytest.fixture
def maildir(tmp_path):
    box = mailbox.Maildir(tmp_path / "bounces", create=True)
    return box, tmp_path / "bounces"


def process(path) -> str:
    out = StringIO()
    call_command("process_bounces", str(path), stdout=out)
    return out.getvalue()


def member_with_news():
    community = community_with_news()
    thread = make_thread(author=add_member(community), community=community, kind="discussion")
    make_reply(author=add_member(community), thread=thread)
    return add_member(community)


def test_a_hard_bounce_stops_the_digest_once_read_and_is_read_once(maildir, mailoutbox):
    box, path = maildir
    member = member_with_news()
    bystander = UserFactory()
    box.add(delivery_status_notification(member.email.upper()))
    box.add(auto_reply(bystander.email))
    box.add(delivery_status_notification("nobody-we-know@example.org"))

    assert "2 bounces read; 1 address now marked as bouncing." in process(path)
    row = DigestSettings.objects.get(user=member)
    assert row.is_bouncing
    assert "User unknown" in row.bounce_reason
    assert row.bounced_at is not None
    assert not DigestSettings.objects.filter(user=bystander).exists()  # an auto-reply

    # Read once: the messages moved to cur/ and a second run finds nothing new.
    assert "0 bounces read" in process(path)
    assert all(message.get_subdir() == "cur" for message in box)

    result = send_batch("weekly", [member])
    assert (result.sent, result.skipped) == (0, 1)
    assert mailoutbox == []
    assert DigestDelivery.objects.get(member=member).skip_reason == "bouncing"


def test_soft_bounces_count_up_to_the_limit_in_an_mbox(tmp_path, settings, mailoutbox):
    settings.TRELLIS_BOUNCE_SOFT_LIMIT = 3
    member = member_with_news()
    path = tmp_path / "bounces.mbox"
    box = mailbox.mbox(path)
    for _ in range(2):
        box.add(
            delivery_status_notification(
                member.email, action="delayed", status="4.4.1", diagnostic="smtp; 421 try later"
            )
        )
    box.flush()
    assert "2 bounces read; 0 addresses now marked" in process(path)
    assert DigestSettings.objects.get(user=member).soft_bounces == 2
    assert not DigestSettings.objects.get(user=member).is_bouncing
    assert send_batch("weekly", [member], period="first").sent == 1

    box = mailbox.mbox(path)  # the mail server appends another one
    box.add(delivery_status_notification(member.email, status="4.2.2", diagnostic="mailbox full"))
    box.flush()
    assert "1 bounce read; 1 address now marked" in process(path)  # the first two are read
    assert DigestSettings.objects.get(user=member).is_bouncing
    assert send_batch("weekly", [member], period="second").skipped == 1
    assert len(mailoutbox) == 1


def test_a_successful_delivery_report_marks_nothing(maildir):
    box, path = maildir
    member = UserFactory()
    box.add(delivery_status_notification(member.email, action="delivered", status="2.0.0"))
    assert "0 bounces read" in process(path)
    assert not DigestSettings.objects.filter(user=member, is_bouncing=True).exists()


def test_a_missing_mailbox_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="There is no mailbox"):
        process(tmp_path / "nowhere")


def test_the_settings_page_says_the_address_bounced_and_clears_it_once_confirmed(
    client, mailoutbox
):
    member = member_with_news()
    bounces.record_bounce(
        bounces.Bounce(member.email, is_hard=True, status="5.1.1", reason="550 User unknown")
    )
    client.force_login(member)
    page = client.get("/settings/digests/").content.decode()
    assert "data-bounced" in page
    assert f"Emails to <strong>{member.email}</strong> bounced" in page
    assert "550 User unknown" in page

    # Without ticking the box nothing changes.
    response = client.post("/settings/digests/", {"clear_bounce": "1"})
    assert response.status_code == 200
    assert "Tick the box to confirm" in response.content.decode()
    assert DigestSettings.objects.get(user=member).is_bouncing
    # Saving the other settings does not clear it either.
    client.post("/settings/digests/", {"frequency": "weekly", "weekday": "0"})
    assert DigestSettings.objects.get(user=member).is_bouncing

    response = client.post("/settings/digests/", {"clear_bounce": "1", "confirm": "on"})
    assert response.status_code == 302
    row = DigestSettings.objects.get(user=member)
    assert (row.is_bouncing, row.soft_bounces, row.bounce_reason) == (False, 0, "")
    assert "data-bounced" not in client.get("/settings/digests/").content.decode()
    User.objects.filter(pk=member.pk).update(last_login=None)  # signing in here was no visit
    assert send_batch("weekly", [member]).sent == 1
    assert len(mailoutbox) == 1


def test_an_escalation_chosen_before_the_bounce_is_not_sent(mailoutbox):
    community = community_with_news()
    member = add_member(community)
    thread = make_thread(author=add_member(community), community=community)
    delivery = EscalationDelivery.objects.create(thread=thread, member=member)
    bounces.record_bounce(bounces.Bounce(member.email, is_hard=True, status="5.1.1", reason="x"))
    assert escalation.send_escalation_email(delivery_id=delivery.pk) is False
    assert mailoutbox == []
