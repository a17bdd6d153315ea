import pytest

from communities import permissions
from communities.core.models.communities import MembershipStatus, Role
from communities.core.services.roles import sync_role_permissions
from communities.models import Membership
from tests.communities.factories import CommunityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_manager_role_grants_guardian_object_permissions_on_that_community_only():
    community, other = CommunityFactory(), CommunityFactory()
    user = UserFactory()
    membership = Membership.objects.create(
        user=user, community=community, role=Role.MANAGER, status=MembershipStatus.ACTIVE
    )
    sync_role_permissions(membership)
    user = type(user).objects.get(pk=user.pk)  # fresh permission cache
    assert user.has_perm("communities.manage_community", community)
    assert user.has_perm("communities.moderate_community", community)
    assert not user.has_perm("communities.manage_community", other)
    assert permissions.can(user, "manage_community", community)
    assert not permissions.can(user, "manage_community", other)


def test_leaving_revokes_the_permissions():
    community, user = CommunityFactory(), UserFactory()
    membership = Membership.objects.create(
        user=user, community=community, role=Role.MODERATOR, status=MembershipStatus.ACTIVE
    )
    sync_role_permissions(membership)
    membership.status = MembershipStatus.LEFT
    sync_role_permissions(membership)
    user = type(user).objects.get(pk=user.pk)
    assert not user.has_perm("communities.moderate_community", community)


def test_staff_may_manage_any_community_and_anonymous_none(rf):
    from django.contrib.auth.models import AnonymousUser

    community = CommunityFactory()
    assert permissions.can(UserFactory(is_staff=True), "manage_community", community)
    assert not permissions.can(AnonymousUser(), "manage_community", community)


def test_the_admin_shows_the_object_permissions_that_role_changes_grant(client):
    from django.urls import reverse

    from communities.core.services.membership import change_role
    from tests.communities.factories import add_member, new_community

    manager = UserFactory(display_name="Maya Manager")
    community = new_community(manager=manager)
    moderator = add_member(community, UserFactory(display_name="Priya Moderator"))
    change_role(actor=manager, community=community, member=moderator, role=Role.MODERATOR)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:communities_community_permissions", args=[community.pk])
    page = client.get(url).text
    assert "Maya Manager" in page
    assert "Priya Moderator" in page

    change_role(actor=manager, community=community, member=moderator, role=Role.MEMBER)
    assert "Priya Moderator" not in client.get(url).text
