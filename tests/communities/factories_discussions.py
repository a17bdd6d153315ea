"""Members, threads and replies for the discussion tests, built through the services."""

from django.utils import timezone

from communities.core.models.communities import MembershipStatus, Role
from communities.core.services.roles import sync_role_permissions
from communities.discussions.models.threads import ThreadKind
from communities.discussions.services.posts import reply
from communities.discussions.services.threads import start_thread
from communities.models import Circle, CircleMembership, Community, Membership, User
from tests.communities.factories import CommunityFactory, UserFactory


def make_member(
    community: Community,
    user: User | None = None,
    *,
    role=Role.MEMBER,
    status=MembershipStatus.ACTIVE,
    **user_kw,
):
    """A member (active unless `status` says otherwise) who agreed to the current guidelines,
    with the guardian permissions their role carries."""
    user = user or UserFactory(**user_kw)
    membership = Membership.objects.create(
        user=user,
        community=community,
        role=role,
        status=status,
        agreed_to_guidelines_at=timezone.now(),
        agreed_guidelines_version=community.guidelines_version,
    )
    sync_role_permissions(membership)
    return User.objects.get(pk=user.pk)  # a fresh permission cache


def make_circle(community: Community, *members: User, name: str = "Reading circle") -> Circle:
    import datetime

    from django.utils.text import slugify

    circle = Circle.objects.create(
        community=community,
        name=name,
        slug=slugify(name),
        kind="learning",
        purpose="Read together.",
        learning_goals="Finish the book.",
        weekday=0,
        time_of_day=datetime.time(18, 0),
        capacity=6,
    )
    for member in members:
        CircleMembership.objects.create(circle=circle, user=member)
    return circle


def make_thread(*, author: User, community: Community, **kwargs):
    defaults = {
        "kind": ThreadKind.QUESTION,
        "title": "How do you run a retrospective with a remote team?",
        "body": "We tried a shared board but people stay silent. What worked for you?",
        "tag_names": ["facilitation"],
    }
    return start_thread(author=author, community=community, **{**defaults, **kwargs})


def make_reply(*, author: User, thread, body: str = "We start with a silent round.", parent=None):
    return reply(author=author, thread=thread, body=body, parent=parent)


class Cast:
    """Everyone the discussion tests talk about, in one open community."""

    def __init__(self, community: Community | None = None):
        self.community = community or CommunityFactory()
        self.outsider = UserFactory()
        self.member = make_member(self.community)
        self.other_member = make_member(self.community)
        self.champion = make_member(self.community, role=Role.CHAMPION)
        self.moderator = make_member(self.community, role=Role.MODERATOR)
        self.manager = make_member(self.community, role=Role.MANAGER)
        self.staff = UserFactory(is_staff=True)


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
