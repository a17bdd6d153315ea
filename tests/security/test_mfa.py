"""Finding 2: MFA (TOTP and recovery codes) for everyone, required for the powerful."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core.cache import cache

from communities.core.mfa import MFA_REQUIRED_MESSAGE, must_set_up_mfa
from communities.public import NotAllowed, Role, can, require
from tests.communities.factories import PASSWORD, UserFactory, add_member, new_community

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_and_fresh(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def require_mfa(settings):
    """Switch the rule on (after the cast is built: setting up a community is a manager's act)."""

    def switch_on():
        settings.TRELLIS_MFA_REQUIRED_FOR_POWERS = True

    return switch_on


def totp_code(secret: str) -> str:
    """The current code, taken far enough from the end of its period to still be current
    when the server checks it (allauth accepts only the current period by default)."""
    left_in_period = 30 - time.time() % 30
    if left_in_period < 3:
        time.sleep(left_in_period + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, user):
    return client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def enrol(client, user) -> str:
    response = sign_in(client, user)
    assert signed_in(client), response.content.decode()[-3000:]
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302, response.content
    return secret


def test_a_member_enrols_with_totp_and_gets_recovery_codes(client):
    user = UserFactory()
    enrol(client, user)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert len(RecoveryCodes(codes).get_unused_codes()) >= 10


def test_the_settings_page_links_to_two_factor_sign_in(client):
    user = UserFactory()
    client.force_login(user)
    assert b"/accounts/2fa/" in client.get("/settings/profile/").content


def test_a_wrong_code_activates_nothing(client):
    user = UserFactory()
    sign_in(client, user)
    client.get("/accounts/2fa/totp/activate/")
    client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert not Authenticator.objects.filter(user=user).exists()


def test_login_asks_for_the_code_and_accepts_it(client):
    user = UserFactory()
    secret = enrol(client, user)
    client.logout()
    cache.clear()  # the code used at enrolment may not be used again in its period

    response = sign_in(client, user)
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert not signed_in(client)
    client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert not signed_in(client)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert signed_in(client)


def test_login_with_a_recovery_code_once(client):
    user = UserFactory()
    enrol(client, user)
    client.logout()
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    code = RecoveryCodes(codes).get_unused_codes()[0]

    sign_in(client, user)
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert signed_in(client)

    client.logout()
    sign_in(client, user)
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert not signed_in(client)


# who, holds powers: must set up MFA while they have no authenticator
POWERS = [
    ("member", False),
    ("moderator", True),
    ("manager", True),
    ("staff", True),
]


def person(kind: str, community):
    if kind == "staff":
        return UserFactory(is_staff=True)
    if kind == "manager":
        return add_member(community, role=Role.MANAGER)
    if kind == "moderator":
        return add_member(community, role=Role.MODERATOR)
    return add_member(community)


@pytest.mark.parametrize(("kind", "holds_powers"), POWERS)
def test_who_must_set_up_mfa(require_mfa, kind, holds_powers):
    user = person(kind, new_community())
    require_mfa()
    assert must_set_up_mfa(user) is holds_powers


def test_the_rule_is_off_unless_the_setting_is_on():
    community = new_community()
    manager = add_member(community, role=Role.MANAGER)
    assert not must_set_up_mfa(manager)
    assert can(manager, "manage_community", community)


@pytest.mark.parametrize("kind", ["moderator", "manager", "staff"])
def test_privileged_actions_are_refused_without_mfa_and_allowed_with_it(require_mfa, kind):
    community = new_community()
    user = person(kind, community)
    require_mfa()
    assert not can(user, "moderate_community", community)
    with pytest.raises(NotAllowed, match="two-factor"):
        require(user, "moderate_community", community)

    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    user = type(user).objects.get(pk=user.pk)
    assert can(user, "moderate_community", community)
    require(user, "moderate_community", community)


def test_a_plain_member_keeps_posting_without_mfa(require_mfa):
    community = new_community()
    member = add_member(community)
    require_mfa()
    assert can(member, "post_in_community", community)
    assert not can(member, "moderate_community", community)


PRIVILEGED_PAGES = [
    ("manager", "/c/{slug}/moderation/"),
    ("manager", "/c/{slug}/edit/"),
    ("manager", "/c/{slug}/requests/"),
    ("moderator", "/c/{slug}/moderation/"),
    ("staff", "/cms/"),
    ("staff", "/django-admin/"),
]


@pytest.mark.parametrize(("kind", "path"), PRIVILEGED_PAGES)
def test_privileged_pages_send_the_unenrolled_to_mfa_setup_with_a_reason(
    client, require_mfa, kind, path
):
    community = new_community()
    user = person(kind, community)
    require_mfa()
    if kind == "staff":
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    url = path.format(slug=community.slug)
    client.force_login(user)

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get(response["Location"], follow=True)
    assert MFA_REQUIRED_MESSAGE in page.content.decode()

    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    assert client.get(url).status_code == 200


def test_ordinary_pages_stay_open_to_the_unenrolled_powerful(client, require_mfa):
    community = new_community()
    manager = add_member(community, role=Role.MANAGER)
    require_mfa()
    client.force_login(manager)
    assert client.get(f"/c/{community.slug}/").status_code == 200
    assert client.get("/").status_code == 200
