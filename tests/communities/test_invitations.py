from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from communities.core.models.communities import Visibility
from communities.core.services.joining import (
    accept_invitation,
    create_invitation_link,
    invite_user,
    revoke_invitation,
    signed_invitation,
)
from communities.models import Invitation, Membership
from tests.communities.factories import UserFactory, manager_of, new_community

pytestmark = pytest.mark.django_db


@pytest.fixture
def private():
    return new_community(visibility=Visibility.PRIVATE)


def link_for(community, **options):
    values = {"expires_in_days": 7, "max_uses": 2, **options}
    return create_invitation_link(actor=manager_of(community), community=community, **values)


def test_an_invitation_link_lets_people_into_a_private_community_until_used_up(private):
    invitation = link_for(private, max_uses=2)
    signed = signed_invitation(invitation)
    assert (
        invitation.token
        in __import__("django.core.signing")
        .core.signing.loads(signed, salt="communities.invitation")
        .values()
    )
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    for person in (first, second):
        membership = accept_invitation(user=person, token=signed, agreed_to_guidelines=True)
        assert membership.status == "active"
        assert membership.agreed_guidelines_version == private.guidelines_version
    with pytest.raises(ValidationError, match="used as many times as it allows"):
        accept_invitation(user=third, token=signed, agreed_to_guidelines=True)
    assert Invitation.objects.get(pk=invitation.pk).use_count == 2
    assert not Membership.objects.filter(user=third).exists()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        ("expire", "This invitation expired on"),
        ("revoke", "withdrawn by a manager"),
        ("tamper", "damaged or incomplete"),
    ],
)
def test_a_link_that_wont_do_says_why_plainly(private, spoil, message, client):
    invitation = link_for(private)
    signed = signed_invitation(invitation)
    if spoil == "expire":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    elif spoil == "revoke":
        revoke_invitation(actor=manager_of(private), invitation=invitation)
    else:
        signed = signed[:-3] + ("abc" if not signed.endswith("abc") else "xyz")
    user = UserFactory()
    with pytest.raises(ValidationError, match=message):
        accept_invitation(user=user, token=signed, agreed_to_guidelines=True)
    client.force_login(user)
    page = client.get(reverse("communities:invitation-accept", args=[signed]))
    assert message in page.text
    assert page.status_code in (404, 410)
    assert not Membership.objects.filter(user=user).exists()


def test_accepting_needs_the_agreement_and_counts_nothing_without_it(private):
    invitation = link_for(private)
    with pytest.raises(ValidationError, match="I agree"):
        accept_invitation(
            user=UserFactory(), token=signed_invitation(invitation), agreed_to_guidelines=False
        )
    assert Invitation.objects.get(pk=invitation.pk).use_count == 0


def test_a_direct_invitation_is_emailed_and_only_the_invitee_can_use_it(
    private, mailoutbox, django_capture_on_commit_callbacks
):
    invitee, someone_else = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_user(actor=manager_of(private), community=private, invitee=invitee)
    assert mailoutbox[0].to == [invitee.email]
    signed = signed_invitation(invitation)
    assert signed in mailoutbox[0].body
    with pytest.raises(PermissionDenied):
        accept_invitation(user=someone_else, token=signed, agreed_to_guidelines=True)
    accept_invitation(user=invitee, token=signed, agreed_to_guidelines=True)
    assert Membership.objects.get(user=invitee, community=private).status == "active"
    with pytest.raises(ValidationError, match="already a member"):
        invite_user(actor=manager_of(private), community=private, invitee=invitee)


def test_only_managers_invite(private):
    with pytest.raises(PermissionDenied):
        create_invitation_link(
            actor=UserFactory(), community=private, expires_in_days=3, max_uses=1
        )
    with pytest.raises(ValidationError) as error:
        link_for(private, expires_in_days=0, max_uses=5000)
    assert set(error.value.message_dict) == {"expires_in_days", "max_uses"}


def test_revoking_twice_says_so(private):
    invitation = link_for(private)
    revoke_invitation(actor=manager_of(private), invitation=invitation)
    with pytest.raises(ValidationError, match="already withdrawn"):
        revoke_invitation(actor=manager_of(private), invitation=invitation)


def test_accepting_through_the_page(private, client):
    user = UserFactory()
    url = reverse("communities:invitation-accept", args=[signed_invitation(link_for(private))])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(user)
    page = client.get(url)
    assert private.name in page.text
    assert "Assume good intent" in page.text
    assert "Tick" in client.post(url, {}).text
    response = client.post(url, {"agreed_to_guidelines": "on"})
    assert response.status_code == 302
    assert Membership.objects.get(user=user, community=private).status == "active"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_racing_for_the_last_use_of_a_link_only_one_gets_in():
    import threading

    from django.db import connection

    community = new_community(visibility=Visibility.PRIVATE)
    signed = signed_invitation(link_for(community, max_uses=1))
    people = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2)
    outcomes = []

    def take(person):
        try:
            barrier.wait()
            accept_invitation(user=person, token=signed, agreed_to_guidelines=True)
            outcomes.append("in")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["in", "refused"]
    assert Membership.objects.filter(community=community, status="active").count() == 2


def test_a_manager_invites_a_person_by_handle_on_the_invitations_page(
    private, client, mailoutbox, django_capture_on_commit_callbacks
):
    invitee = UserFactory(username="rosa")
    client.force_login(manager_of(private))
    url = reverse("communities:invitation-list", args=[private.slug])
    refused = client.post(url, {"invite_person": "1", "person": "@nobody-here"})
    assert refused.status_code == 400
    assert "Nobody on Trellis has that handle or email." in refused.text
    assert not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"invite_person": "1", "person": "@rosa"})
    assert response.status_code == 302
    assert Invitation.objects.get().invitee == invitee
    assert [message.to for message in mailoutbox] == [[invitee.email]]
