"""One ban: the member page and the moderation queue reach the same service, with the same
guards (who may ban whom, the last manager), the same effects (role back to member, pending
join requests closed) and one audit action."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from communities.core.models.communities import MembershipStatus, Role, Visibility
from communities.core.models.joining import JoinRequestStatus
from communities.core.services.joining import request_to_join
from communities.core.services.membership import ban_member
from communities.models import AuditEntry, JoinRequest, Membership
from communities.moderation.services import actions
from tests.communities.factories import (
    UserFactory,
    add_member,
    flag,
    make_thread,
    new_community,
)

pytestmark = pytest.mark.django_db

TARGETS = ("member", "champion", "moderator", "manager")
# Who may ban whom, from either entry point (the other manager keeps the community managed).
#               member champion moderator manager
MATRIX = {
    "member": "    no     no       no        no",
    "champion": "  no     no       no        no",
    "moderator": " yes    yes      no        no",
    "manager": "   yes    yes      yes       yes",
    "staff": "     yes    yes      yes       yes",
}


def _cast():
    first_manager = UserFactory()
    community = new_community(manager=first_manager)
    people = {
        "member": add_member(community),
        "champion": add_member(community, role=Role.CHAMPION),
        "moderator": add_member(community, role=Role.MODERATOR),
        "manager": add_member(community, role=Role.MANAGER),
        "staff": UserFactory(is_staff=True),
    }
    return community, first_manager, people


def _from_member_page(actor, community, target):
    return ban_member(actor=actor, community=community, member=target, reason="Harassment.")


def _from_moderation_queue(actor, community, target):
    thread = make_thread(author=target, community=community)
    return actions.ban_author(actor=actor, thread=thread, reason="Harassment.")


ENTRY_POINTS = {"member-page": _from_member_page, "moderation-queue": _from_moderation_queue}

CELLS = [
    pytest.param(entry, actor, target, id=f"{entry}-{actor}-bans-{target}")
    for entry in ENTRY_POINTS
    for actor in MATRIX
    for target in TARGETS
]


@pytest.mark.parametrize(("entry", "actor", "target"), CELLS)
def test_who_may_ban_whom(entry, actor, target):
    community, _, people = _cast()
    allowed = MATRIX[actor].split()[TARGETS.index(target)] == "yes"
    ban = ENTRY_POINTS[entry]
    if people[actor] == people[target]:
        pytest.skip("banning oneself is its own case")
    logged_before = set(AuditEntry.objects.values_list("pk", flat=True))
    if allowed:
        ban(people[actor], community, people[target])
    else:
        with pytest.raises(PermissionDenied):
            ban(people[actor], community, people[target])
    membership = Membership.objects.get(user=people[target], community=community)
    if allowed:
        assert membership.status == MembershipStatus.BANNED
        assert membership.role == Role.MEMBER
        entries = AuditEntry.objects.exclude(pk__in=logged_before)
        assert list(entries.values_list("action", "subject_user")) == [
            ("member_banned", people[target].pk)
        ]
        assert not people[target].has_perm("communities.moderate_community", community)
    else:
        assert membership.status == MembershipStatus.ACTIVE
        assert not AuditEntry.objects.exclude(pk__in=logged_before).exists()


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_staff_cannot_ban_the_last_manager(entry):
    manager = UserFactory()
    community = new_community(manager=manager)
    staff = UserFactory(is_staff=True)
    with pytest.raises(ValidationError, match="last manager"):
        ENTRY_POINTS[entry](staff, community, manager)
    membership = Membership.objects.get(user=manager, community=community)
    assert (membership.status, membership.role) == (MembershipStatus.ACTIVE, Role.MANAGER)
    assert not AuditEntry.objects.filter(action="member_banned").exists()


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_ban_closes_pending_join_requests(entry):
    manager = UserFactory()
    community = new_community(manager=manager, visibility=Visibility.RESTRICTED)
    asker = UserFactory()
    # An author who left and asks to come back: their thread stays, their request waits.
    author = add_member(community)
    thread = make_thread(author=author, community=community)
    Membership.objects.filter(user=author, community=community).update(status=MembershipStatus.LEFT)
    request_to_join(user=author, community=community, message="Back?", agreed_to_guidelines=True)
    request_to_join(user=asker, community=community, message="Hi", agreed_to_guidelines=True)
    if entry == "moderation-queue":
        actions.ban_author(actor=manager, thread=thread, reason="Spam.")
    else:
        ban_member(actor=manager, community=community, member=author, reason="Spam.")
    # Their first request was approved when they joined; the one since is closed by the ban.
    assert JoinRequest.objects.filter(user=author).latest("pk").status == JoinRequestStatus.DECLINED
    assert JoinRequest.objects.get(user=asker).status == JoinRequestStatus.PENDING
    assert Membership.objects.get(user=author).status == MembershipStatus.BANNED


def test_banning_from_the_member_page(client):
    community, manager, people = _cast()
    client.force_login(manager)
    url = reverse("communities:member-remove", args=[community.slug, people["member"].username])
    response = client.post(url, {"action": "ban", "reason": "Harassment."})
    assert response.status_code == 302
    assert Membership.objects.get(user=people["member"]).status == MembershipStatus.BANNED


def test_banning_from_the_moderation_queue(client):
    community, _, people = _cast()
    thread = make_thread(author=people["champion"], community=community)
    flag(people["member"], thread)  # the queue acts on flagged items
    client.force_login(people["moderator"])
    client.post(
        f"/c/{community.slug}/moderation/act/",
        {"thread": thread.pk, "post": "", "action": "ban", "reason": "Harassment."},
    )
    membership = Membership.objects.get(user=people["champion"])
    assert (membership.status, membership.role) == (MembershipStatus.BANNED, Role.MEMBER)
    assert AuditEntry.objects.filter(
        subject_user=people["champion"], action="member_banned"
    ).exists()


def test_a_moderator_cannot_ban_a_moderator_from_the_queue(client):
    community, _, people = _cast()
    other = add_member(community, role=Role.MODERATOR)
    thread = make_thread(author=other, community=community)
    flag(people["member"], thread)
    client.force_login(people["moderator"])
    response = client.post(
        f"/c/{community.slug}/moderation/act/",
        {"thread": thread.pk, "post": "", "action": "ban", "reason": "Harassment."},
        follow=True,
    )
    assert "ask a manager" in response.content.decode()
    assert Membership.objects.get(user=other).status == MembershipStatus.ACTIVE
