"""One-click unsubscribe, the settings page that restores it, and the digest preview."""

import re
import time

import pytest
from django.test import Client

from communities import public
from communities.digests.models import DigestSettings
from communities.models import AuditEntry, User
from tests.communities.digests.factories import send_batch
from tests.communities.factories import (
    UserFactory,
    add_member,
    make_reply,
    make_thread,
    new_community,
)

pytestmark = pytest.mark.django_db


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def member_with_digest(mailoutbox):
    community = new_community()
    thread = make_thread(author=add_member(community), community=community, kind="discussion")
    make_reply(author=add_member(community), thread=thread)
    member = add_member(community)
    send_batch("weekly", [member])
    assert len(mailoutbox) == 1
    return member, mailoutbox[0]


def test_the_email_link_asks_first_and_a_one_click_post_unsubscribes(member_with_digest):
    member, mail = member_with_digest
    url = mail.extra_headers["List-Unsubscribe"].strip("<>")
    assert path_of(url) in mail.body
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(path_of(url))
    assert page.status_code == 200
    assert "Nothing has changed yet" in page.content.decode()
    assert User.objects.get(pk=member.pk).digest_frequency == "weekly"  # GET changed nothing
    # RFC 8058: the mail client POSTs this body, with no session and no CSRF token.
    done = browser.post(path_of(url), {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "You are unsubscribed" in done.content.decode()
    assert User.objects.get(pk=member.pk).digest_frequency == "never"


def test_escalation_emails_are_turned_off_on_their_own():
    member = UserFactory()
    token = public.unsubscribe_token(user_id=member.pk, kind="escalation")
    Client().post(f"/unsubscribe/{token}/")
    assert DigestSettings.objects.get(user=member).wants_escalations is False
    assert User.objects.get(pk=member.pk).digest_frequency == "weekly"


@pytest.mark.parametrize("story", ["forged", "other member", "unknown member", "expired", "junk"])
def test_a_bad_token_gets_a_clear_page_and_changes_nothing(client, monkeypatch, story):
    member, other = UserFactory(), UserFactory()
    token = public.unsubscribe_token(user_id=member.pk, kind="digest")
    if story == "forged":
        token = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    elif story == "other member":
        # Swap in the other member's id but keep the signature: it no longer matches.
        theirs = public.unsubscribe_token(user_id=other.pk, kind="digest")
        token = theirs.split(":")[0] + ":" + ":".join(token.split(":")[1:])
    elif story == "unknown member":
        token = public.unsubscribe_token(user_id=999_999, kind="digest")
    elif story == "expired":
        real_time = time.time
        monkeypatch.setattr(time, "time", lambda: real_time() - 200 * 24 * 3600)
        token = public.unsubscribe_token(user_id=member.pk, kind="digest")
        monkeypatch.setattr(time, "time", real_time)
    else:
        token = "not-a-token"
    response = client.post(f"/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()
    assert set(User.objects.values_list("digest_frequency", flat=True)) == {"weekly"}


def test_the_settings_page_shows_and_restores_the_digest(client):
    member = UserFactory(digest_frequency="never")
    client.force_login(member)
    page = client.get("/settings/digests/")
    assert "Right now you get: <strong>no digest</strong>" in page.content.decode()
    response = client.post(
        "/settings/digests/",
        {"frequency": "weekly", "weekday": "4", "email_escalation": "on"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=member.pk).digest_frequency == "weekly"
    assert DigestSettings.objects.get(user=member).weekday == 4
    page = client.get("/settings/digests/")
    assert "weekly digest</strong> on Fridays" in page.content.decode()


def test_bad_settings_get_a_message_and_nothing_is_written(client):
    member = UserFactory()
    client.force_login(member)
    response = client.post("/settings/digests/", {"frequency": "hourly", "weekday": "9"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not DigestSettings.objects.exists()


def test_the_settings_page_needs_a_signed_in_member(client):
    assert client.get("/settings/digests/").status_code == 302


def test_members_preview_their_own_next_digest(client):
    community = new_community()
    thread = make_thread(author=add_member(community), community=community, kind="discussion")
    make_reply(author=add_member(community), thread=thread)
    member = add_member(community)
    client.force_login(member)
    page = client.get("/digests/preview/")
    assert page.status_code == 200
    assert "Your next digest" in page.content.decode()
    raw = client.get("/digests/preview/?format=html")
    assert "Most active threads" in raw.content.decode()


@pytest.mark.parametrize(("is_staff", "status", "audited"), [(False, 404, 0), (True, 200, 1)])
def test_only_staff_preview_someone_elses_digest_and_it_is_audited(
    client, member_with_digest, is_staff, status, audited
):
    member, _ = member_with_digest
    viewer = UserFactory(is_staff=is_staff)
    client.force_login(viewer)
    assert client.get(f"/digests/preview/{member.pk}/").status_code == status
    assert (
        AuditEntry.objects.filter(
            action="digest_preview", actor=viewer, subject_user=member
        ).count()
        == audited
    )


def test_preview_is_not_for_visitors(client):
    assert client.get("/digests/preview/").status_code == 302


def test_headers_point_at_this_members_token():
    member = UserFactory()
    headers = public.unsubscribe_headers(user_id=member.pk, kind="digest")
    token = headers["List-Unsubscribe"].strip("<>").rstrip("/").rsplit("/", 1)[1]
    assert public.read_unsubscribe_token(token).user_id == member.pk
