"""What the community page and the member directory show, and where their links lead."""

import pytest
from django.urls import reverse

from communities.core.models.communities import Role, Visibility
from communities.core.services.communities import change_stage
from communities.models import CircleMeeting, Community, Membership
from communities.tasks import refresh_member_count
from tests.communities.factories import (
    TagFactory,
    UserFactory,
    add_member,
    make_circle,
    manager_of,
    new_community,
)

pytestmark = pytest.mark.django_db


def test_the_community_page_shows_what_the_issue_promises(client):
    manager = UserFactory(display_name="Maya Manager")
    community = new_community(
        manager=manager,
        name="Workshop hosts",
        purpose="Running better workshops together.",
        audience="People who facilitate workshops at work.",
        guidelines="Be kind. **Assume good intent.**",
        is_chatham_house=True,
    )
    add_member(community, UserFactory(display_name="Chris Champion"), role=Role.CHAMPION)
    add_member(community, UserFactory(display_name="Mo Moderator"), role=Role.MODERATOR)
    member = add_member(community, UserFactory(display_name="Pat Plain"))
    change_stage(
        actor=manager,
        community=community,
        to_stage="coalescing",
        reason="Regulars have found each other.",
    )
    make_circle(community, members=4, name="Morning circle")
    refresh_member_count(community.pk)  # the circle's people were added as rows, not by joining
    meeting = CircleMeeting.objects.filter(circle__community=community).earliest("starts_at")

    client.force_login(member)
    page = client.get(reverse("communities:community-detail", args=[community.slug]))
    text = page.text
    assert "Running better workshops together." in text
    assert "People who facilitate workshops at work." in text
    assert "<strong>Assume good intent.</strong>" in text
    assert "Chatham House rule" in text
    assert "Coalescing stage" in text
    assert "Potential → Coalescing" in text
    assert "Regulars have found each other." in text
    assert "8 members" in text  # manager, champion, moderator, member and the circle's four
    leaders = text.split('id="leaders-title"')[1].split("</section>")[0]
    assert "Maya Manager" in leaders
    assert "Chris Champion" in leaders
    assert "Mo Moderator" not in leaders
    assert "Pat Plain" not in leaders
    assert "Morning circle" in text
    assert (
        reverse(
            "communities:meeting-detail",
            args=[community.slug, meeting.circle.slug, meeting.sequence],
        )
        in text
    )


def test_outsiders_of_a_restricted_community_get_no_link_they_cannot_follow(client):
    community = new_community(visibility=Visibility.RESTRICTED)
    members_url = reverse("communities:member-list", args=[community.slug])
    page_url = reverse("communities:community-detail", args=[community.slug])

    for outsider in (None, UserFactory()):
        client.logout()
        if outsider is not None:
            client.force_login(outsider)
        assert members_url not in client.get(page_url).text

    client.force_login(add_member(community))
    assert members_url in client.get(page_url).text
    assert client.get(members_url).status_code == 200


def test_the_member_directory_shows_each_members_expertise_motivation_and_role(client):
    community = new_community()
    ada = add_member(
        community,
        UserFactory(display_name="Ada Lovelace", motivation="Make data teams kinder."),
        role=Role.CHAMPION,
    )
    ada.expertise.add(TagFactory(name="pipelines"))
    client.force_login(manager_of(community))
    page = client.get(reverse("communities:member-list", args=[community.slug]), {"q": "ada"})
    card = page.text.split("Ada Lovelace")[1].split("</li>")[0]
    assert "Champion" in card
    assert "Make data teams kinder." in card
    assert "pipelines" in card


def test_starting_a_community_through_the_page_with_every_field(client):
    creator = UserFactory()
    client.force_login(creator)
    assert "Start a community" in client.get(reverse("communities:community-list")).text
    response = client.post(
        reverse("communities:community-create"),
        {
            "name": "Ward educators",
            "slug": "ward-educators",
            "purpose": "Teach on the ward, better.",
            "audience": "Nurses who teach.",
            "guidelines": "Never share **identifiable** cases.",
            "kind": "learning",
            "visibility": "restricted",
            "is_chatham_house": "on",
            "tag_names": "teaching, nursing",
        },
    )
    assert response.status_code == 302
    community = Community.objects.get(slug="ward-educators")
    assert (community.kind, community.visibility, community.stage) == (
        "learning",
        "restricted",
        "potential",
    )
    assert community.is_chatham_house
    assert community.audience == "Nurses who teach."
    assert sorted(tag.name for tag in community.tags.all()) == ["nursing", "teaching"]
    assert manager_of(community) == creator
    page = client.get(response.url)
    assert "<strong>identifiable</strong>" in page.text
    assert "Chatham House rule" in page.text


@pytest.mark.parametrize(
    ("creators", "person", "says"),
    [
        ("confirmed", {"verified": False}, "Confirm your email address"),
        ("staff", {}, "only staff start communities"),
    ],
)
def test_people_who_may_not_start_a_community_are_told_why(
    client, settings, creators, person, says
):
    settings.TRELLIS_COMMUNITY_CREATORS = creators
    client.force_login(UserFactory(**person))
    directory = client.get(reverse("communities:community-list")).text
    assert "Start a community" not in directory
    assert says in directory
    refused = client.get(reverse("communities:community-create"))
    assert refused.status_code == 403
    assert says in refused.text


def test_a_member_with_a_confirmed_email_may_start_one_when_the_setting_says_so(settings):
    settings.TRELLIS_COMMUNITY_CREATORS = "confirmed"
    creator = UserFactory(verified=True)
    created = new_community(manager=creator)
    assert Membership.objects.get(community=created, user=creator).role == Role.MANAGER
