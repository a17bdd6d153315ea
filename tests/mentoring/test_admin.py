"""The Django admin never shows what a pair wrote."""

import pytest
from django.contrib import admin
from django.urls import reverse

from mentoring.models import Goal, MentoringSession, Reflection
from tests.communities.factories import UserFactory
from tests.mentoring.factories import SECRET_GOAL, SECRET_NOTE, MentoringCast

pytestmark = pytest.mark.django_db


def test_goals_sessions_and_reflections_have_no_admin_and_pairings_hide_them(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for model in (Goal, MentoringSession, Reflection):
        assert not admin.site.is_registered(model)
    cast = MentoringCast()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in (
        reverse("admin:mentoring_pairing_change", args=[cast.pairing.pk]),
        reverse("admin:mentoring_pairing_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert SECRET_NOTE not in response.content.decode()
        assert SECRET_GOAL not in response.content.decode()
