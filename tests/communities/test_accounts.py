import re

import pytest
from allauth.account.models import EmailAddress

from communities.models import User
from tests.communities.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signup(client, **overrides):
    data = {
        "email": "new.person@example.org",
        "username": "new_person",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post("/accounts/signup/", data)


def test_signup_sends_a_confirmation_email_and_the_link_verifies(client, mailoutbox, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^\s]+/)", mailoutbox[0].body)[1]
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.login(email="new.person@example.org", password=PASSWORD)


def test_signup_with_a_taken_email_says_so_and_creates_nothing(client):
    UserFactory(email="taken@example.org")
    response = signup(client, email="taken@example.org")
    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert not User.objects.filter(username="new_person").exists()


def test_signup_with_a_weak_password_says_why_and_creates_nothing(client):
    response = signup(client, password1="password", password2="password")
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_signup_with_a_bad_handle_explains_the_format(client):
    response = signup(client, username="no spaces!")
    assert response.status_code == 200
    assert "letters, digits or underscores" in response.content.decode()
    assert not User.objects.exists()


def test_unconfirmed_email_cannot_log_in_when_verification_is_mandatory(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    UserFactory(email="pending@example.org", verified=False)
    response = client.post(
        "/accounts/login/", {"login": "pending@example.org", "password": PASSWORD}, follow=True
    )
    assert "_auth_user_id" not in client.session
    assert "verify" in response.content.decode().lower()


def test_login_and_logout_by_email(client):
    UserFactory(email="member@example.org")
    response = client.post(
        "/accounts/login/", {"login": "member@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link(client, mailoutbox):
    UserFactory(email="forgetful@example.org")
    response = client.post("/accounts/password/reset/", {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_account_pages_use_the_site_layout(client):
    html = client.get("/accounts/login/").content.decode()
    assert "trellis.css" in html
    assert "Skip to content" in html
    assert "htmx.min.js" in html
    assert "unpkg" not in html
    assert "cdn" not in html.lower()
