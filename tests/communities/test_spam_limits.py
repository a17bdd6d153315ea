"""Spam limits without holes: links are counted in what a post renders to, new accounts
propose circles and start communities within limits, and what a brand-new account creates
stays out of sight of anonymous visitors until someone responsible has seen it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from communities.circles.services.circles import approve_held_circle, propose_circle
from communities.core.errors import NotAllowed, RateLimited
from communities.core.models.communities import Role
from communities.core.newcomers import is_established
from communities.core.services.communities import approve_held_community
from communities.discussions.services.limits import count_links
from communities.models import Circle, Community, Post, User
from communities.tasks import release_held_of_established_accounts
from tests.communities.factories import (
    UserFactory,
    circle_fields,
    make_member,
    make_reply,
    make_thread,
    new_community,
)

pytestmark = [pytest.mark.new_member_limits, pytest.mark.django_db]

SNEAKY_LINKS = {
    "markdown": "[one](//evil.example/1) [two](//evil.example/2) [three](//evil.example/3)",
    "html": '<a href="//evil.example/1">1</a> <a href="//evil.example/2">2</a> '
    '<a href="//evil.example/3">3</a>',
    "reference": "[one][1], [two][2] and [three][3]\n\n[1]: //evil.example/1\n"
    "[2]: //evil.example/2\n[3]: //evil.example/3",
    "bare": "//evil.example/1 and //evil.example/2 and //evil.example/3",
}


def establish(user: User) -> User:
    """An account old enough and with enough posts to count as established."""
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=30))
    community = new_community(manager=UserFactory())
    make_member(community, user)
    thread = make_thread(author=user, community=community)
    make_reply(author=user, thread=thread)
    make_reply(author=user, thread=thread)
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("kind", SNEAKY_LINKS)
def test_scheme_relative_links_count_in_every_form(cast, kind):
    body = SNEAKY_LINKS[kind]
    assert count_links(body) == 3
    newcomer = make_member(cast.community)
    thread = make_thread(author=cast.moderator, community=cast.community)
    with pytest.raises(ValidationError, match="at most 2 links"):
        make_reply(author=newcomer, thread=thread, body=body)
    assert not Post.objects.exists()


def test_links_in_code_and_plain_words_are_counted_once(cast):
    assert count_links("Read [the guide](https://a.example) at https://a.example") == 2
    assert count_links("No links here: just // a comment and www") == 0
    assert count_links('<a name="x">not a link</a> <a href="javascript:alert(1)">x</a>') == 0


# Circle proposals and new communities -----------------------------------------------------


def test_a_new_account_proposes_two_circles_a_day(cast, settings):
    newcomer = make_member(cast.community)
    for n in range(2):
        propose_circle(actor=newcomer, community=cast.community, **circle_fields(name=f"C{n}"))
    with pytest.raises(RateLimited, match="2 circles a day") as caught:
        propose_circle(actor=newcomer, community=cast.community, **circle_fields(name="C3"))
    assert caught.value.retry_at > timezone.now() + timedelta(hours=23)
    assert Circle.objects.filter(created_by=newcomer).count() == 2
    # Moderators of the community and established accounts are not limited.
    for _ in range(3):
        propose_circle(actor=cast.moderator, community=cast.community, **circle_fields())
    veteran = establish(make_member(cast.community))
    for _ in range(3):
        propose_circle(actor=veteran, community=cast.community, **circle_fields())


def test_the_circle_page_answers_429_with_the_reason(client, cast, settings):
    settings.TRELLIS_NEW_ACCOUNT_CIRCLES_PER_DAY = 1
    newcomer = make_member(cast.community)
    propose_circle(actor=newcomer, community=cast.community, **circle_fields())
    client.force_login(newcomer)
    data = {**circle_fields(name="Second"), "time_of_day": "18:30", "duration_minutes": 60}
    data["timezone"] = data.pop("timezone_name")
    response = client.post(reverse("communities:circle-create", args=[cast.community.slug]), data)
    assert response.status_code == 429
    assert "1 circle a day" in response.content.decode()
    assert Circle.objects.filter(created_by=newcomer).count() == 1


def test_a_new_account_starts_one_community_a_day(client):
    newcomer = UserFactory()
    new_community(manager=newcomer)
    with pytest.raises(RateLimited, match="1 community a day"):
        new_community(manager=newcomer)
    client.force_login(newcomer)
    response = client.post(
        reverse("communities:community-create"),
        {"name": "Another", "slug": "another", "purpose": "More.", "kind": "learning",
         "visibility": "open"},
    )  # fmt: skip
    assert response.status_code == 429
    assert "1 community a day" in response.content.decode()
    assert Community.objects.filter(created_by=newcomer).count() == 1
    veteran = establish(UserFactory())
    new_community(manager=veteran)
    new_community(manager=veteran)
    staff = UserFactory(is_staff=True)
    new_community(manager=staff)
    new_community(manager=staff)


# Held from anonymous visitors --------------------------------------------------------------


def test_who_counts_as_established(settings):
    fresh = UserFactory()
    assert not is_established(fresh)
    User.objects.filter(pk=fresh.pk).update(date_joined=timezone.now() - timedelta(days=30))
    assert not is_established(User.objects.get(pk=fresh.pk))  # old, but no posts yet
    assert is_established(establish(fresh))
    assert is_established(UserFactory(is_staff=True))


def _sees_community(client, viewer, community) -> bool:
    client.logout()
    if viewer is not None:
        client.force_login(viewer)
    page = client.get(reverse("communities:community-detail", args=[community.slug]))
    listed = community.name in client.get(reverse("communities:community-list")).text
    assert (page.status_code == 200) == listed
    return listed


def test_a_brand_new_accounts_community_is_hidden_from_anonymous_until_staff_approve(client):
    creator = UserFactory()
    community = new_community(manager=creator, name="Totally legit deals")
    thread = make_thread(author=creator, community=community, title="Cheap watches here")
    member = make_member(community)
    staff = UserFactory(is_staff=True)
    assert community.is_held_for_review
    assert not _sees_community(client, None, community)
    assert _sees_community(client, creator, community)
    assert _sees_community(client, member, community)
    assert _sees_community(client, staff, community)
    client.logout()
    thread_url = reverse("communities:thread-detail", args=[community.slug, thread.pk])
    assert client.get(thread_url).status_code == 404
    assert "Cheap watches" not in client.get(reverse("communities:search"), {"q": "watches"}).text
    # The creator (its manager) can't approve it; staff can, from the community page.
    with pytest.raises(NotAllowed):
        approve_held_community(actor=creator, community=community)
    client.force_login(staff)
    assert (
        "Approve for anonymous visitors"
        in client.get(reverse("communities:community-detail", args=[community.slug])).text
    )
    response = client.post(reverse("communities:community-approve", args=[community.slug]))
    assert response.status_code == 302
    assert _sees_community(client, None, community)
    assert client.get(thread_url).status_code == 200


def test_the_community_shows_once_its_creator_is_established(client):
    creator = UserFactory()
    community = new_community(manager=creator)
    assert not _sees_community(client, None, community)
    creator = establish(creator)
    release_held_of_established_accounts()
    assert _sees_community(client, None, community)
    # An established account's new community is never held.
    assert not new_community(manager=creator).is_held_for_review


def _sees_circle(client, viewer, circle) -> bool:
    client.logout()
    if viewer is not None:
        client.force_login(viewer)
    community = circle.community
    listed = (
        circle.name in client.get(reverse("communities:circle-list", args=[community.slug])).text
    )
    if viewer is not None:  # the circle page itself asks anonymous visitors to sign in
        page = client.get(reverse("communities:circle-detail", args=[community.slug, circle.slug]))
        assert (page.status_code == 200) == listed
    return listed


def test_a_brand_new_accounts_circle_is_hidden_from_anonymous_until_a_manager_approves(
    client, cast
):
    approve_held_community(actor=cast.staff, community=cast.community)
    newcomer = make_member(cast.community)
    circle = propose_circle(
        actor=newcomer, community=cast.community, **circle_fields(name="Crypto gains circle")
    )
    assert circle.is_held_for_review
    assert not _sees_circle(client, None, circle)
    for viewer in (newcomer, cast.member, cast.moderator, cast.manager, cast.staff):
        assert _sees_circle(client, viewer, circle)
    with pytest.raises(NotAllowed):
        approve_held_circle(actor=cast.member, circle=circle)
    client.force_login(cast.manager)
    url = reverse("communities:circle-detail", args=[cast.community.slug, circle.slug])
    assert "Approve for anonymous visitors" in client.get(url).text
    assert client.post(url + "approve/").status_code == 302
    assert _sees_circle(client, None, circle)
    # Circles a moderator proposes are not held.
    assert not propose_circle(
        actor=cast.moderator, community=cast.community, **circle_fields()
    ).is_held_for_review


def test_staff_approve_held_circles_too(cast):
    circle = propose_circle(
        actor=make_member(cast.community), community=cast.community, **circle_fields()
    )
    with pytest.raises(NotAllowed):
        approve_held_circle(actor=make_member(cast.community, role=Role.CHAMPION), circle=circle)
    approve_held_circle(actor=cast.staff, circle=circle)
    circle.refresh_from_db()
    assert not circle.is_held_for_review


ROLES = ("anonymous", "outsider", "member", "champion", "moderator", "manager", "staff")


@pytest.mark.parametrize("role", ROLES)
def test_who_may_approve_a_held_community_or_circle(client, cast, role):
    held_community = new_community(manager=UserFactory())
    approve_held_community(actor=cast.staff, community=cast.community)
    circle = propose_circle(
        actor=make_member(cast.community), community=cast.community, **circle_fields()
    )
    person = cast[role]
    if person is not None:
        client.force_login(person)
    community_answer = client.post(
        reverse("communities:community-approve", args=[held_community.slug])
    )
    circle_answer = client.post(
        reverse("communities:circle-approve", args=[cast.community.slug, circle.slug])
    )
    held_community.refresh_from_db()
    circle.refresh_from_db()
    if role == "anonymous":
        assert community_answer.status_code == circle_answer.status_code == 302
        assert "/accounts/login/" in community_answer["Location"]
    assert held_community.is_held_for_review is (role != "staff")
    assert circle.is_held_for_review is (role not in {"moderator", "manager", "staff"})
    if role not in {"anonymous", "staff"}:
        assert community_answer.status_code == 403
    if role not in {"anonymous", "moderator", "manager", "staff"}:
        assert circle_answer.status_code == 403
