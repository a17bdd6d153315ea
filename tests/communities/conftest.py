import pytest

from communities.core.models.communities import Visibility
from tests.communities.factories_communities import build_cast


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def open_cast(db):
    return build_cast(Visibility.OPEN)


@pytest.fixture
def restricted_cast(db):
    return build_cast(Visibility.RESTRICTED)


@pytest.fixture
def private_cast(db):
    return build_cast(Visibility.PRIVATE)


@pytest.fixture
def client_for(client):
    """A test client signed in as `user` (anonymous when None)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
