"""Finding 1: every login door opens onto allauth's, so throttling and verification apply."""

import pytest
from django.core.cache import cache

from tests.communities.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

# door, what an anonymous visit to a protected page under it redirects to
DOORS = [
    ("/django-admin/login/", "/django-admin/"),
    ("/cms/login/", "/cms/"),
    ("/kb/_util/login/", "/kb/"),
    ("/accounts/login/", None),
]


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("door", [d for d, _ in DOORS if d != "/accounts/login/"])
def test_every_other_door_redirects_to_allauth_login(client, door):
    response = client.get(f"{door}?next=/cms/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "/cms/pages/" in response["Location"]


@pytest.mark.parametrize("door", [d for d, _ in DOORS])
def test_a_post_to_any_door_gives_no_session_except_through_allauth(client, door):
    user = UserFactory()
    form = {"username": user.email, "login": user.email, "password": PASSWORD}
    client.post(door, form)
    assert signed_in(client) is (door == "/accounts/login/")


def test_protected_pages_send_anonymous_people_to_allauth(client):
    for protected in ["/cms/", "/django-admin/"]:
        response = client.get(protected, follow=True)
        first = response.redirect_chain[-1][0]
        assert first.startswith("/accounts/login/"), (protected, response.redirect_chain)


def test_frontend_and_admin_login_settings_point_at_allauth(settings):
    assert settings.WAGTAILADMIN_LOGIN_URL == "/accounts/login/"
    assert settings.WAGTAIL_FRONTEND_LOGIN_URL == "/accounts/login/"


def login_form_behind(client, door) -> str:
    """Where a person who opens this door ends up entering their password."""
    response = client.get(door, follow=True)
    return response.redirect_chain[-1][0] if response.redirect_chain else door


@pytest.mark.parametrize("door", [d for d, _ in DOORS])
def test_25_wrong_passwords_then_the_right_one_is_refused(client, door):
    user = UserFactory()
    login_url = login_form_behind(client, door)
    assert login_url.startswith("/accounts/login/")
    for _ in range(25):
        client.post(door, {"login": user.email, "username": user.email, "password": "wrong-1"})
        client.post(login_url, {"login": user.email, "password": "wrong-1"})
    response = client.post(login_url, {"login": user.email, "password": PASSWORD})
    assert not signed_in(client)
    assert response.status_code in {200, 429}


def test_the_right_password_alone_still_signs_in(client):
    user = UserFactory()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert signed_in(client)


@pytest.mark.parametrize("door", [d for d, _ in DOORS])
def test_unconfirmed_account_gets_no_session_through_any_door(client, settings, door):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    user = UserFactory(verified=False)
    client.post(door, {"login": user.email, "username": user.email, "password": PASSWORD})
    client.post(
        f"{door}?next=/", {"login": user.email, "username": user.email, "password": PASSWORD}
    )
    assert not signed_in(client)
