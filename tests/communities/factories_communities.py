"""Communities and their people, built through the services so every invariant holds."""

from dataclasses import dataclass, field

from communities.core.models.communities import CommunityKind, MembershipStatus, Role, Visibility
from communities.core.services.communities import create_community
from communities.core.services.joining import (
    accept_invitation,
    approve_join_request,
    create_invitation_link,
    request_to_join,
    signed_invitation,
)
from communities.core.services.membership import ban_member, change_role, join_open_community
from communities.models import Community, JoinRequest, Membership, User
from tests.communities.factories import UserFactory

ROLES = ("anonymous", "outsider", "pending", "member", "moderator", "manager", "banned", "staff")


def new_community(
    *, manager: User | None = None, visibility: str = Visibility.OPEN, **overrides
) -> Community:
    manager = manager or UserFactory()
    count = Community.objects.count() + 1
    values = {
        "name": f"Community {count}",
        "slug": f"community-{count}-{visibility}",
        "purpose": "Practitioners helping each other get better at the craft.",
        "audience": "Anyone who practises it.",
        "guidelines": "Be kind. **Assume good intent.** Share what you learn.",
        "kind": CommunityKind.PRACTICE,
        "visibility": visibility,
    }
    values.update(overrides)
    return create_community(actor=manager, **values)


def manager_of(community: Community) -> User:
    return (
        Membership.objects.filter(
            community=community, role=Role.MANAGER, status=MembershipStatus.ACTIVE
        )
        .select_related("user")
        .first()
        .user
    )


def add_member(community: Community, user: User | None = None, *, role: str = Role.MEMBER) -> User:
    """Bring `user` in by the path the community's visibility allows."""
    user = user or UserFactory()
    manager = manager_of(community)
    if community.visibility == Visibility.OPEN:
        join_open_community(user=user, community=community, agreed_to_guidelines=True)
    elif community.visibility == Visibility.RESTRICTED:
        join_request = request_to_join(
            user=user, community=community, message="I'd like to learn.", agreed_to_guidelines=True
        )
        approve_join_request(actor=manager, join_request=join_request, message="Welcome!")
    else:
        link = create_invitation_link(
            actor=manager, community=community, expires_in_days=7, max_uses=1
        )
        accept_invitation(user=user, token=signed_invitation(link), agreed_to_guidelines=True)
    if role != Role.MEMBER:
        change_role(actor=manager, community=community, member=user, role=role)
    return user


def add_pending(community: Community, user: User | None = None) -> User:
    user = user or UserFactory()
    if community.visibility == Visibility.RESTRICTED:
        request_to_join(
            user=user, community=community, message="Please let me in.", agreed_to_guidelines=True
        )
    else:
        # Only restricted communities take requests; a pending row elsewhere is what remains
        # when a restricted community opened up or became private while a request waited.
        Membership.objects.create(user=user, community=community, status=MembershipStatus.PENDING)
        JoinRequest.objects.create(user=user, community=community, message="Please let me in.")
    return user


@dataclass
class Cast:
    community: Community
    people: dict[str, User | None] = field(default_factory=dict)

    def __getitem__(self, role: str) -> User | None:
        return self.people[role]


def build_cast(visibility: str) -> Cast:
    """One community and one person in each role of the access matrix."""
    manager = UserFactory(username=f"manager_{visibility}")
    community = new_community(manager=manager, visibility=visibility)
    banned = add_member(community, UserFactory(username=f"banned_{visibility}"))
    ban_member(actor=manager, community=community, member=banned, reason="Harassed members.")
    people = {
        "anonymous": None,
        "outsider": UserFactory(username=f"outsider_{visibility}"),
        "pending": add_pending(community, UserFactory(username=f"pending_{visibility}")),
        "member": add_member(community, UserFactory(username=f"member_{visibility}")),
        "moderator": add_member(
            community, UserFactory(username=f"moderator_{visibility}"), role=Role.MODERATOR
        ),
        "manager": manager,
        "banned": banned,
        "staff": UserFactory(username=f"staff_{visibility}", is_staff=True),
    }
    community.refresh_from_db()
    return Cast(community=community, people=people)
