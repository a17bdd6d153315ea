"""The one helper every recurring email goes through, for every kind registered, the other
apps' included: headers, one-click POST for exactly that kind, and nothing sent after it."""

import pytest
from django.test import Client

from communities import public
from tests.communities.factories import UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://trellis.example"
OTHER_APPS_KINDS = {"mentoring", "peer_review", "knowledge_review", "knowledge_follow"}


@pytest.fixture(autouse=True)
def https_site(settings):
    settings.WAGTAILADMIN_BASE_URL = SITE


def test_the_other_apps_register_their_recurring_emails():
    assert {kind.key for kind in public.email_kinds()} >= OTHER_APPS_KINDS


@pytest.mark.parametrize("kind", sorted(kind.key for kind in public.email_kinds()))
def test_every_registered_kind_unsubscribes_with_one_post(kind, mailoutbox):
    member, other = UserFactory(), UserFactory()
    assert public.send_member_email(user=member, kind=kind, subject="News\nBcc: x", text="Hi")
    message = mailoutbox[0]
    assert message.subject == "News Bcc: x"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith(f"{SITE}/unsubscribe/")
    assert url in message.body  # for mail clients without an unsubscribe button

    path = url.removeprefix(SITE)
    assert Client().get(path).status_code == 200
    assert public.wants_email(member, kind)
    assert Client(enforce_csrf_checks=True).post(path).status_code == 200

    member.refresh_from_db()
    assert not public.wants_email(member, kind)
    assert all(
        public.wants_email(member, each.key) for each in public.email_kinds() if each.key != kind
    )
    assert public.wants_email(other, kind)
    mailoutbox.clear()
    assert not public.send_member_email(user=member, kind=kind, subject="More", text="Hi")
    assert public.send_member_email(user=other, kind=kind, subject="More", text="Hi")
    assert [m.to for m in mailoutbox] == [[other.email]]


def test_an_unregistered_kind_cannot_be_sent_with_headers():
    with pytest.raises(ValueError, match="register it first"):
        public.send_member_email(user=UserFactory(), kind="newsletter", subject="x", text="y")
    with pytest.raises(ValueError, match="register it first"):
        public.unsubscribe_headers(user_id=1, kind="newsletter")
