import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from communities import permissions
from communities.core.models.communities import Role
from communities.core.services.membership import ban_member, change_role, remove_member
from communities.models import Membership, User
from tests.communities.factories import UserFactory, add_member, manager_of, new_community

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize(
    ("role", "moderates", "manages"),
    [
        (Role.MEMBER, False, False),
        (Role.CHAMPION, False, False),
        (Role.MODERATOR, True, False),
        (Role.MANAGER, True, True),
    ],
)
def test_role_changes_grant_and_revoke_object_permissions(role, moderates, manages):
    community = new_community()
    member = add_member(community, role=Role.CHAMPION if role == Role.MODERATOR else Role.MODERATOR)
    change_role(actor=manager_of(community), community=community, member=member, role=role)
    user = fresh(member)
    assert user.has_perm("communities.moderate_community", community) is moderates
    assert user.has_perm("communities.manage_community", community) is manages
    assert permissions.can(user, "manage_community", community) is manages


def test_a_community_always_keeps_a_manager():
    community = new_community()
    manager = manager_of(community)
    other = add_member(community)
    with pytest.raises(ValidationError, match="at least one manager"):
        change_role(actor=manager, community=community, member=manager, role=Role.MEMBER)
    change_role(actor=manager, community=community, member=other, role=Role.MANAGER)
    change_role(actor=fresh(other), community=community, member=manager, role=Role.MEMBER)
    assert Membership.objects.get(user=manager, community=community).role == Role.MEMBER
    staff = UserFactory(is_staff=True)
    with pytest.raises(ValidationError, match="last manager"):
        remove_member(actor=staff, community=community, member=other, reason="Test")
    with pytest.raises(ValidationError, match="last manager"):
        ban_member(actor=staff, community=community, member=other, reason="Test")
    assert Membership.objects.get(user=other, community=community).status == "active"


def test_only_managers_and_staff_change_roles_and_the_change_is_logged():
    community = new_community()
    member, moderator = add_member(community), add_member(community, role=Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        change_role(actor=moderator, community=community, member=member, role=Role.MANAGER)
    staff = UserFactory(is_staff=True)
    change_role(actor=staff, community=community, member=member, role=Role.CHAMPION)
    entry = community.audit_entries.filter(action="role_changed").first()
    assert (entry.actor, entry.subject_user, entry.reason) == (staff, member, "member → champion")


def test_role_mistakes_are_refused():
    community = new_community()
    manager, member = manager_of(community), add_member(community)
    with pytest.raises(ValidationError, match="already a member"):
        change_role(actor=manager, community=community, member=member, role=Role.MEMBER)
    with pytest.raises(ValidationError, match="Choose member"):
        change_role(actor=manager, community=community, member=member, role="king")
    with pytest.raises(ValidationError, match="not an active member"):
        change_role(actor=manager, community=community, member=UserFactory(), role=Role.CHAMPION)


def test_the_role_page_appoints_a_champion_who_shows_on_the_community_page(client):
    community = new_community()
    member = add_member(community)
    client.force_login(manager_of(community))
    url = reverse("communities:member-role", args=[community.slug, member.username])
    assert client.post(url, {"role": "champion"}).status_code == 302
    page = client.get(reverse("communities:community-detail", args=[community.slug]))
    assert member.public_name in page.text


def test_the_remove_page_needs_a_reason(client):
    community = new_community()
    member = add_member(community)
    client.force_login(manager_of(community))
    url = reverse("communities:member-remove", args=[community.slug, member.username])
    response = client.post(url, {"action": "ban", "reason": ""})
    assert response.status_code == 400
    assert "Give a reason" in response.text
    assert Membership.objects.get(user=member, community=community).status == "active"
    client.post(url, {"action": "ban", "reason": "Abuse"})
    assert Membership.objects.get(user=member, community=community).status == "banned"
    audit = client.get(reverse("communities:moderation-audit", args=[community.slug]))
    assert "member_banned" in audit.text
    assert "Abuse" in audit.text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_managers_leaving_at_the_same_moment_leave_one_behind():
    import threading

    from django.db import connection

    from communities.core.services.membership import leave_community

    community = new_community()
    first = manager_of(community)
    second = add_member(community, role=Role.MANAGER)
    barrier = threading.Barrier(2)
    outcomes = []

    def leave(person):
        try:
            barrier.wait()
            leave_community(user=person, community=community)
            outcomes.append("left")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=leave, args=(p,)) for p in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["left", "refused"]
    assert (
        Membership.objects.filter(community=community, role=Role.MANAGER, status="active").count()
        == 1
    )
