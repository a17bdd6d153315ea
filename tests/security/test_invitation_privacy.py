"""Finding 4: inviting by email tells a manager nothing about who owns an address, and
invitations are limited per manager per hour and per address per day."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from communities.core.errors import NotAllowed
from communities.core.models.communities import Visibility
from communities.core.services.joining import accept_invitation, signed_invitation
from communities.models import Invitation, Membership
from tests.communities.factories import UserFactory, add_member, manager_of, new_community

pytestmark = pytest.mark.django_db

KNOWN = "known.person@example.org"
UNKNOWN = "nobody.here@example.org"


@pytest.fixture
def private():
    return new_community(visibility=Visibility.PRIVATE)


@pytest.fixture
def known():
    return UserFactory(email=KNOWN, display_name="Known Kestrel", username="kestrel")


def _invite(client, community, person):
    url = reverse("communities:invitation-list", args=[community.slug])
    return client.post(url, {"invite_person": "1", "person": person}, follow=True)


def _neutral(html: str, address: str) -> str:
    """The page without the address, CSRF tokens and the list of invitations so far (the
    second page lists both)."""
    html = html.replace(address, "ADDRESS")
    html = re.sub(r"<tbody>.*</tbody>", "", html, flags=re.S)
    return re.sub(r"[A-Za-z0-9]{32,}", "TOKEN", html)


@pytest.mark.parametrize("case", ["stranger", "member", "banned"])
def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(
    client, private, known, mailoutbox, django_capture_on_commit_callbacks, case
):
    if case == "member":
        add_member(private, known)
    elif case == "banned":
        from communities.core.services.membership import ban_member

        add_member(private, known)
        ban_member(actor=manager_of(private), community=private, member=known, reason="Spam.")
    client.force_login(manager_of(private))
    with django_capture_on_commit_callbacks(execute=True):
        first = _invite(client, private, KNOWN)
    with django_capture_on_commit_callbacks(execute=True):
        second = _invite(client, private, UNKNOWN)
    assert first.status_code == second.status_code == 200
    assert first.redirect_chain == second.redirect_chain
    assert _neutral(first.text, KNOWN) == _neutral(second.text, UNKNOWN)
    for html in (first.text, second.text):
        assert "Known Kestrel" not in html
        assert "kestrel" not in html
        assert "already" not in html
        assert "An invitation is on its way to" in html
    # Both addresses get the same invitation to join Trellis.
    assert sorted(message.to[0] for message in mailoutbox) == sorted([KNOWN, UNKNOWN])
    bodies = {message.to[0]: message.body for message in mailoutbox}
    subjects = {message.to[0]: message.subject for message in mailoutbox}
    assert subjects[KNOWN] == subjects[UNKNOWN]
    assert re.sub(r"/invite/\S+", "", bodies[KNOWN]).replace(KNOWN, "A") == re.sub(
        r"/invite/\S+", "", bodies[UNKNOWN]
    ).replace(UNKNOWN, "A")
    assert "create your Trellis account" in bodies[UNKNOWN]


def test_the_invitation_works_for_whoever_confirms_that_address(private, known):
    from communities.core.services.joining import invite_by_email

    invitation = invite_by_email(actor=manager_of(private), community=private, email=UNKNOWN)
    assert invitation.invitee_id is None
    signed = signed_invitation(invitation)
    with pytest.raises(NotAllowed):
        accept_invitation(user=known, token=signed, agreed_to_guidelines=True)
    newcomer = UserFactory(email=UNKNOWN)
    assert EmailAddress.objects.filter(user=newcomer, email=UNKNOWN, verified=True).exists()
    accept_invitation(user=newcomer, token=signed, agreed_to_guidelines=True)
    assert Membership.objects.get(user=newcomer, community=private).status == "active"


def test_an_unconfirmed_address_does_not_open_the_invitation(private):
    from communities.core.services.joining import invite_by_email

    invitation = invite_by_email(actor=manager_of(private), community=private, email=UNKNOWN)
    claimant = UserFactory(email=UNKNOWN, verified=False)
    with pytest.raises(NotAllowed):
        accept_invitation(
            user=claimant, token=signed_invitation(invitation), agreed_to_guidelines=True
        )


def test_invitations_are_limited_per_manager_per_hour(client, private, settings, mailoutbox):
    settings.TRELLIS_INVITATIONS_PER_MANAGER_PER_HOUR = 3
    client.force_login(manager_of(private))
    for n in range(3):
        assert _invite(client, private, f"person{n}@example.org").status_code == 200
    refused = _invite(client, private, "person9@example.org")
    assert refused.status_code == 429
    assert "3 invitations an hour" in refused.text
    assert Invitation.objects.filter(invitee__isnull=True, max_uses=1).count() == 3
    assert not Invitation.objects.filter(email="person9@example.org").exists()


def test_invitations_are_limited_per_address_per_day_across_managers(client, settings):
    settings.TRELLIS_INVITATIONS_PER_ADDRESS_PER_DAY = 2
    communities = [new_community(visibility=Visibility.PRIVATE) for _ in range(3)]
    for community in communities[:2]:
        client.force_login(manager_of(community))
        assert _invite(client, community, UNKNOWN).status_code == 200
    client.force_login(manager_of(communities[2]))
    refused = _invite(client, communities[2], UNKNOWN.upper())
    assert refused.status_code == 429
    assert "2 invitations a day" in refused.text
    assert Invitation.objects.filter(email__iexact=UNKNOWN).count() == 2


def test_the_limit_per_address_counts_invitations_by_handle_too(client, private, known, settings):
    settings.TRELLIS_INVITATIONS_PER_ADDRESS_PER_DAY = 1
    client.force_login(manager_of(private))
    assert _invite(client, private, "@kestrel").status_code == 200
    assert _invite(client, private, KNOWN).status_code == 429


def test_the_list_of_invitations_shows_the_address_never_the_name(client, private, known):
    client.force_login(manager_of(private))
    _invite(client, private, KNOWN)
    html = client.get(reverse("communities:invitation-list", args=[private.slug])).text
    assert KNOWN in html
    assert "Known Kestrel" not in html
