"""The operators' admin writes nothing a service must write: guidelines (their version makes
members agree again), the stage history, communities' creation."""

import pytest
from django.urls import reverse

from communities.core.services.communities import change_stage
from communities.models import Community, LifecycleTransition
from tests.communities.factories import UserFactory, new_community

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_an_admin_edit_cannot_change_the_guidelines_behind_the_version(staff_client):
    community = new_community()
    url = reverse("admin:communities_community_change", args=[community.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    assert 'name="guidelines"' not in page.content.decode()
    response = staff_client.post(
        url,
        {
            "name": "Renamed by an operator",
            "slug": community.slug,
            "purpose": community.purpose,
            "audience": community.audience,
            "guidelines": "Anything goes.",
            "kind": community.kind,
            "visibility": community.visibility,
            "flag_hide_threshold": community.flag_hide_threshold,
            "created_by": community.created_by_id,
        },
    )
    community.refresh_from_db()
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert community.name == "Renamed by an operator"  # the edit itself went through
    assert community.guidelines != "Anything goes."
    assert community.guidelines_version == 1


def test_communities_are_not_created_in_the_admin(staff_client):
    assert staff_client.get(reverse("admin:communities_community_add")).status_code == 403


def test_the_stage_history_is_read_only_in_the_admin(staff_client):
    community = new_community()
    change_stage(
        actor=community.memberships.get().user,
        community=community,
        to_stage="coalescing",
        reason="Regulars have found each other.",
    )
    transition = LifecycleTransition.objects.get(community=community)
    change_url = reverse("admin:communities_lifecycletransition_change", args=[transition.pk])
    response = staff_client.post(change_url, {"reason": "Rewritten"})
    transition.refresh_from_db()
    assert transition.reason == "Regulars have found each other."
    assert response.status_code in (302, 403)
    delete_url = reverse("admin:communities_lifecycletransition_delete", args=[transition.pk])
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Community.objects.filter(pk=community.pk).exists()
