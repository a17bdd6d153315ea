import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from communities import permissions
from communities.core.models.communities import MembershipStatus, Role, Visibility
from communities.core.models.joining import JoinRequestStatus
from communities.core.services.communities import create_community, update_community
from communities.core.services.joining import (
    approve_join_request,
    create_invitation_link,
    decline_join_request,
    invite_user,
    request_to_join,
    signed_invitation,
)
from communities.core.services.membership import (
    agree_to_guidelines,
    ban_member,
    join_open_community,
    leave_community,
    remove_member,
)
from communities.models import Community, JoinRequest, Membership
from communities.tasks import send_join_decision
from tests.communities.factories import UserFactory, add_member, new_community

pytestmark = pytest.mark.django_db


def test_creating_makes_the_creator_its_manager_in_the_potential_stage():
    creator = UserFactory()
    community = create_community(
        actor=creator,
        name="Facilitators",
        slug="facilitators",
        purpose="Get better at facilitation together.",
        kind="practice",
        visibility="open",
        guidelines="Be kind.",
        tags=["facilitation", "Workshops"],
    )
    membership = Membership.objects.get(community=community, user=creator)
    assert (membership.role, membership.status) == (Role.MANAGER, MembershipStatus.ACTIVE)
    assert community.stage == "potential"
    assert sorted(t.name for t in community.tags.all()) == ["facilitation", "workshops"]
    assert permissions.can(type(creator).objects.get(pk=creator.pk), "manage_community", community)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"slug": "taken"}, "slug"),
        ({"purpose": "   "}, "purpose"),
        ({"slug": "new"}, "slug"),
        ({"tags": ["Not A Tag!"]}, "tag_names"),
    ],
)
def test_bad_community_input_is_refused_with_a_message_and_nothing_is_written(overrides, field):
    new_community(slug="taken")
    before = (Community.objects.count(), Membership.objects.count())
    values = {
        "name": "Writers",
        "slug": "writers",
        "purpose": "Write better.",
        "kind": "practice",
        "visibility": "open",
        **overrides,
    }
    with pytest.raises(ValidationError) as error:
        create_community(actor=UserFactory(), **values)
    assert field in error.value.message_dict
    assert (Community.objects.count(), Membership.objects.count()) == before


def test_who_may_create_is_a_setting(settings):
    settings.TRELLIS_COMMUNITY_CREATORS = "staff"
    with pytest.raises(PermissionDenied):
        new_community(manager=UserFactory())
    staff = UserFactory(is_staff=True)
    created = new_community(manager=staff)
    assert Membership.objects.get(community=created, user=staff).role == Role.MANAGER
    settings.TRELLIS_COMMUNITY_CREATORS = "confirmed"
    with pytest.raises(PermissionDenied):
        new_community(manager=UserFactory(verified=False))


def test_the_create_page_shows_a_taken_slug_as_a_form_error(client):
    new_community(slug="taken")
    client.force_login(UserFactory())
    response = client.post(
        reverse("communities:community-create"),
        {"name": "X", "slug": "taken", "purpose": "", "kind": "practice", "visibility": "open"},
    )
    assert response.status_code == 200
    assert "Say in a sentence or two what the community is for." in response.text
    assert Community.objects.filter(name="X").count() == 0


def test_joining_an_open_community_stores_the_agreement_and_its_version(
    django_capture_on_commit_callbacks,
):
    community = new_community()
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        membership = join_open_community(user=user, community=community, agreed_to_guidelines=True)
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.agreed_to_guidelines_at is not None
    assert membership.agreed_guidelines_version == community.guidelines_version
    assert Community.objects.get(pk=community.pk).member_count == 2


def test_joining_queues_a_fresh_member_count(django_capture_on_commit_callbacks):
    community = new_community()
    with django_capture_on_commit_callbacks() as callbacks:
        join_open_community(user=UserFactory(), community=community, agreed_to_guidelines=True)
    queued = [c for c in callbacks if getattr(c, "args", None) == (community.pk,)]
    assert len(queued) == 1
    assert "refresh_member_count" in repr(queued[0])


def test_joining_without_agreeing_or_twice_is_refused():
    community = new_community()
    user = UserFactory()
    with pytest.raises(ValidationError, match="I agree to the guidelines"):
        join_open_community(user=user, community=community, agreed_to_guidelines=False)
    assert not Membership.objects.filter(user=user).exists()
    join_open_community(user=user, community=community, agreed_to_guidelines=True)
    with pytest.raises(ValidationError, match="already a member"):
        join_open_community(user=user, community=community, agreed_to_guidelines=True)


def test_the_join_page_requires_the_agreement_box(client):
    community = new_community()
    user = UserFactory()
    client.force_login(user)
    url = reverse("communities:community-join", args=[community.slug])
    page = client.get(url)
    assert "Assume good intent" in page.text
    assert "I agree to the guidelines" in page.text
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Tick “I agree to the guidelines” to join" in response.text
    assert not Membership.objects.filter(user=user).exists()


def test_the_chatham_house_rule_is_explained_when_it_applies(client):
    community = new_community(is_chatham_house=True)
    page = client.get(reverse("communities:community-detail", args=[community.slug]))
    assert "never say who said it" in page.text


def test_changed_guidelines_ask_members_to_agree_again_before_they_post(client):
    community = new_community()
    manager = Membership.objects.get(community=community).user
    member = add_member(community)
    assert permissions.can(member, "post_in_community", community)
    community = update_community(actor=manager, community=community, guidelines="Be brave.")
    assert community.guidelines_version == 2
    assert not permissions.can(member, "post_in_community", community)
    assert permissions.can(manager, "post_in_community", community)  # they wrote them

    client.force_login(member)
    page = client.get(reverse("communities:community-detail", args=[community.slug]))
    assert "I agree to the updated guidelines" in page.text
    client.post(reverse("communities:community-agree", args=[community.slug]))
    assert permissions.can(member, "post_in_community", community)
    page = client.get(reverse("communities:community-detail", args=[community.slug]))
    assert "I agree to the updated guidelines" not in page.text


def test_only_members_agree_to_guidelines():
    with pytest.raises(ValidationError):
        agree_to_guidelines(user=UserFactory(), community=new_community())


def test_a_join_request_then_approval_tells_the_requester(
    mailoutbox, django_capture_on_commit_callbacks
):
    community = new_community(visibility=Visibility.RESTRICTED)
    manager = Membership.objects.get(community=community).user
    user = UserFactory()
    join_request = request_to_join(
        user=user, community=community, message="I run workshops.", agreed_to_guidelines=True
    )
    assert Membership.objects.get(user=user, community=community).status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        approve_join_request(actor=manager, join_request=join_request, message="Welcome!")
    assert Membership.objects.get(user=user, community=community).status == "active"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]
    assert "approved" in mailoutbox[0].body
    assert "Welcome!" in mailoutbox[0].body
    assert send_join_decision(join_request.pk) is False  # running it again sends nothing


def test_a_declined_request_needs_a_message_and_tells_the_requester(
    mailoutbox, django_capture_on_commit_callbacks
):
    community = new_community(visibility=Visibility.RESTRICTED)
    manager = Membership.objects.get(community=community).user
    user = UserFactory()
    join_request = request_to_join(
        user=user, community=community, message="Hi", agreed_to_guidelines=True
    )
    with pytest.raises(ValidationError, match="Tell the person why"):
        decline_join_request(actor=manager, join_request=join_request, message="")
    assert JoinRequest.objects.get(pk=join_request.pk).status == JoinRequestStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        decline_join_request(
            actor=manager, join_request=join_request, message="We're for nurses only."
        )
    assert Membership.objects.get(user=user, community=community).status == "left"
    assert "declined" in mailoutbox[0].body
    assert "nurses only" in mailoutbox[0].body


def test_join_request_mistakes_are_refused():
    community = new_community(visibility=Visibility.RESTRICTED)
    manager = Membership.objects.get(community=community).user
    user = UserFactory()
    with pytest.raises(ValidationError, match="why you want to join"):
        request_to_join(user=user, community=community, message=" ", agreed_to_guidelines=True)
    with pytest.raises(ValidationError, match="I agree"):
        request_to_join(user=user, community=community, message="Hi", agreed_to_guidelines=False)
    assert not JoinRequest.objects.exists()
    join_request = request_to_join(
        user=user, community=community, message="Hi", agreed_to_guidelines=True
    )
    with pytest.raises(ValidationError, match="already waiting"):
        request_to_join(user=user, community=community, message="Hi", agreed_to_guidelines=True)
    approve_join_request(actor=manager, join_request=join_request)
    with pytest.raises(ValidationError, match="already been decided"):
        approve_join_request(actor=manager, join_request=join_request)
    with pytest.raises(PermissionDenied):
        approve_join_request(actor=user, join_request=join_request)
    with pytest.raises(ValidationError, match="send a join request"):
        join_open_community(user=UserFactory(), community=community, agreed_to_guidelines=True)


def test_a_banned_member_cannot_rejoin_through_any_path():
    community = new_community()
    manager = Membership.objects.get(community=community).user
    banned = add_member(community)
    with pytest.raises(ValidationError, match="reason"):
        ban_member(actor=manager, community=community, member=banned, reason="  ")
    ban_member(actor=manager, community=community, member=banned, reason="Spam")
    with pytest.raises(PermissionDenied, match="banned"):
        join_open_community(user=banned, community=community, agreed_to_guidelines=True)
    update_community(actor=manager, community=community, visibility=Visibility.RESTRICTED)
    with pytest.raises(PermissionDenied, match="banned"):
        request_to_join(user=banned, community=community, message="Hi", agreed_to_guidelines=True)
    link = create_invitation_link(actor=manager, community=community, expires_in_days=3, max_uses=5)
    from communities.core.services.joining import accept_invitation

    with pytest.raises(PermissionDenied, match="banned"):
        accept_invitation(user=banned, token=signed_invitation(link), agreed_to_guidelines=True)
    with pytest.raises(ValidationError, match="banned"):
        invite_user(actor=manager, community=community, invitee=banned)
    assert Membership.objects.get(user=banned, community=community).status == "banned"
    assert type(link).objects.get(pk=link.pk).use_count == 0


def test_removal_and_ban_are_logged_with_actor_and_reason():
    community = new_community()
    manager = Membership.objects.get(community=community).user
    member = add_member(community)
    remove_member(actor=manager, community=community, member=member, reason="Asked to go.")
    entry = community.audit_entries.get()
    assert (entry.actor, entry.action, entry.subject_user, entry.reason) == (
        manager,
        "member_removed",
        member,
        "Asked to go.",
    )
    # A removed member may come back; a banned one may not.
    join_open_community(user=member, community=community, agreed_to_guidelines=True)


def test_anyone_can_leave_but_the_last_manager(client):
    community = new_community()
    manager = Membership.objects.get(community=community).user
    member = add_member(community)
    leave_community(user=member, community=community)
    assert Membership.objects.get(user=member, community=community).status == "left"
    with pytest.raises(ValidationError, match="last manager"):
        leave_community(user=manager, community=community)
    client.force_login(manager)
    response = client.post(reverse("communities:community-leave", args=[community.slug]))
    assert response.status_code == 400
    assert "Appoint another manager before you leave" in response.text
    assert Membership.objects.get(user=manager, community=community).status == "active"


def test_leaving_revokes_role_permissions():
    community = new_community()
    moderator = add_member(community, role=Role.MODERATOR)
    assert (
        type(moderator)
        .objects.get(pk=moderator.pk)
        .has_perm("communities.moderate_community", community)
    )
    leave_community(user=moderator, community=community)
    assert (
        not type(moderator)
        .objects.get(pk=moderator.pk)
        .has_perm("communities.moderate_community", community)
    )


def test_editing_the_guidelines_on_the_edit_page_bumps_their_version(client):
    community = new_community(tags=["coaching"])
    client.force_login(Membership.objects.get(community=community).user)
    url = reverse("communities:community-edit", args=[community.slug])
    form = client.get(url)
    assert "coaching" in form.text
    response = client.post(
        url,
        {
            "name": community.name,
            "purpose": community.purpose,
            "audience": community.audience,
            "guidelines": "Be kind. Be brief.",
            "kind": community.kind,
            "visibility": community.visibility,
            "tag_names": "coaching, mentoring",
        },
    )
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.guidelines_version == 2
    assert sorted(t.name for t in community.tags.all()) == ["coaching", "mentoring"]
    response = client.post(url, {"name": "", "purpose": "", "kind": "practice"})
    assert response.status_code == 200
    assert Community.objects.get(pk=community.pk).name == community.name
