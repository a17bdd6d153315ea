"""The one factories module of communities: people, communities, circles, threads and the
cast of personas, built through the services wherever an invariant is at stake.

Other apps' tests use UserFactory, CommunityFactory, TagFactory, new_community, add_member,
manager_of, make_thread and make_reply from here."""

import datetime as dt
from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.text import slugify

from communities.circles.models import Cadence, CircleKind
from communities.circles.services.circles import join_circle, propose_circle
from communities.core.models.communities import CommunityKind, MembershipStatus, Role, Visibility
from communities.core.services.communities import create_community
from communities.core.services.joining import (
    accept_invitation,
    approve_join_request,
    create_invitation_link,
    request_to_join,
    signed_invitation,
)
from communities.core.services.membership import (
    ban_member,
    change_role,
    join_open_community,
    leave_community,
)
from communities.discussions.models.threads import ThreadKind
from communities.discussions.selectors.notifications import notifications_for
from communities.discussions.services.posts import reply
from communities.discussions.services.threads import start_thread
from communities.models import (
    Circle,
    CircleMembership,
    Community,
    JoinRequest,
    Membership,
    Notification,
    Tag,
    User,
)
from communities.moderation.services.flags import flag_content

PASSWORD = "a-Strong-passphrase-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
        if create:
            obj.save(update_fields=["password"])


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"topic-{n}")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Community {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    purpose = "Practitioners helping each other get better at the craft."
    audience = "Anyone who practises it."
    guidelines = "Be kind. Assume good intent. Share what you learn."
    kind = CommunityKind.PRACTICE
    visibility = Visibility.OPEN


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


def steward_of(community: Community) -> User:
    """Who lets people in for the factories: the community's manager, or a staff member for a
    community made without one (`CommunityFactory`)."""
    membership = (
        Membership.objects.filter(
            community=community, role=Role.MANAGER, status=MembershipStatus.ACTIVE
        )
        .select_related("user")
        .first()
    )
    if membership is not None:
        return membership.user
    return User.objects.filter(username="factory-steward").first() or UserFactory(
        username="factory-steward", is_staff=True
    )


def add_member(community: Community, user: User | None = None, *, role: str = Role.MEMBER) -> User:
    """Bring `user` in by the path the community's visibility allows."""
    user = user or UserFactory()
    manager = steward_of(community)
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


class Cast:
    """The one cast of personas: a community and one person in every role, all built through
    the services (the `cast` fixtures of tests/conftest.py hand it out). `cast.member` and
    `cast["member"]` are the same person; `anonymous` is None."""

    def __init__(self, visibility: str = Visibility.OPEN):
        self.manager = UserFactory()
        self.community = new_community(manager=self.manager, visibility=visibility)
        self.anonymous = None
        self.outsider = UserFactory()
        self.banned = add_member(self.community)
        ban_member(
            actor=self.manager, community=self.community, member=self.banned, reason="Harassed."
        )
        self.pending = add_pending(self.community)
        self.member = add_member(self.community)
        self.other_member = add_member(self.community)
        self.champion = add_member(self.community, role=Role.CHAMPION)
        self.moderator = add_member(self.community, role=Role.MODERATOR)
        self.staff = UserFactory(is_staff=True)
        self.community.refresh_from_db()

    def __getitem__(self, role: str) -> User | None:
        return getattr(self, role)


def build_cast(visibility: str) -> Cast:
    return Cast(visibility)


def make_member(
    community: Community,
    user: User | None = None,
    *,
    role=Role.MEMBER,
    status=MembershipStatus.ACTIVE,
    **user_kw,
):
    """A member (active unless `status` says otherwise) who agreed to the current guidelines,
    with the guardian permissions their role carries: brought in, and out again for a banned
    or departed one, through the services (`add_member`)."""
    user = user or UserFactory(**user_kw)
    if status == MembershipStatus.PENDING:
        add_pending(community, user)
    else:
        add_member(community, user, role=role)
        if status == MembershipStatus.BANNED:
            ban_member(
                actor=steward_of(community), community=community, member=user, reason="Spam."
            )
        elif status == MembershipStatus.LEFT:
            leave_community(user=user, community=community)
    return User.objects.get(pk=user.pk)  # a fresh permission cache


def make_circle_of(community: Community, *members: User, name: str = "Reading circle") -> Circle:
    """A circle with exactly these people in it, written directly (no meetings planned)."""
    circle = Circle.objects.create(
        community=community,
        name=name,
        slug=slugify(name),
        kind="learning",
        purpose="Read together.",
        learning_goals="Finish the book.",
        weekday=0,
        time_of_day=dt.time(18, 0),
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


def circle_fields(**overrides) -> dict:
    fields = {
        "name": "Facilitation practice circle",
        "kind": CircleKind.LEARNING,
        "purpose": "Get better at running workshops by trying things and talking them over.",
        "learning_goals": "Plan a workshop; run it; debrief it honestly.",
        "cadence": Cadence.WEEKLY,
        "weekday": 1,
        "time_of_day": dt.time(18, 30),
        "timezone_name": "Europe/Berlin",
        "capacity": 6,
    }
    fields.update(overrides)
    return fields


def make_circle(community, *, proposer=None, members: int = 1, **overrides) -> Circle:
    """A circle proposed by `proposer` (a new member when omitted) with `members` people in it
    in all; at four it is active and has its first meetings."""
    proposer = proposer or make_member(community)
    circle = propose_circle(actor=proposer, community=community, **circle_fields(**overrides))
    for _ in range(members - 1):
        join_circle(user=make_member(community), circle=circle)
    return Circle.objects.get(pk=circle.pk)


def make_seasoned(user, community, *, days: int = 30):
    """Make `user` an old hand in `community`: joined long ago (tests that also need the
    post count set TRELLIS_NEW_MEMBER_POSTS)."""
    Membership.objects.filter(user=user, community=community).update(
        joined_at=timezone.now() - timedelta(days=days)
    )
    return user


def flag(user, thread, post=None, *, reason="spam", note=""):
    return flag_content(flagger=user, thread=thread, post=post, reason=reason, note=note)[0]


def inbox(user: User) -> list[Notification]:
    """What `user` would see on /notifications/, oldest first."""
    return list(reversed(notifications_for(user)))


def kinds_for(user: User) -> list[str]:
    return [notification.kind for notification in inbox(user)]
