"""The profile page leads to the digest settings, where an unsubscribe can be undone."""

import pytest
from django.urls import reverse

from tests.communities.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_profile_settings_link_to_digest_settings_and_preview(client):
    client.force_login(UserFactory())
    page = client.get(reverse("communities:profile-edit")).content.decode()
    assert reverse("digests:settings") in page
    assert reverse("digests:preview") in page
