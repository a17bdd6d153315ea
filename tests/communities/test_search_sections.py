"""/search/ also finds communities (name, purpose, tags) and people (name, handle, expertise)
among what the viewer may see: a private community and its members stay unknown to
outsiders, a restricted community's members to non-members, deactivated accounts to all,
and nobody is found through an anonymous question they asked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.core.models.communities import MembershipStatus
from communities.core.selectors import find_communities, find_people
from communities.core.services.profiles import update_profile
from communities.models import Community, Membership, User
from tests.communities.factories import (
    Cast,
    CommunityFactory,
    TagFactory,
    UserFactory,
    add_member,
    make_thread,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "moderator", "manager", "staff"]
INSIDERS = {"member", "moderator", "manager", "staff"}


def _name(community: Community, name: str) -> None:
    Community.objects.filter(pk=community.pk).update(name=name)


def _get(client, cast, role, **params):
    if cast[role] is not None:
        client.force_login(cast[role])
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response


def _sections(response) -> tuple[list[str], list[str]]:
    return (
        [community.name for community in response.context["communities_found"]],
        [person.username for person in response.context["people_found"]],
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("visibility", "sees_community", "sees_members"),
    [
        ("open", set(ROLES), set(ROLES)),
        ("restricted", set(ROLES), INSIDERS),
        ("private", INSIDERS, INSIDERS),
    ],
)
def test_the_access_matrix_of_communities_and_people(
    client, role, visibility, sees_community, sees_members
):
    cast = Cast(visibility)
    _name(cast.community, "Orchard Keepers")
    quentin = add_member(cast.community, UserFactory(display_name="Quentin Orchardson"))
    community_names, people = _sections(_get(client, cast, role, q="orchard"))
    assert ("Orchard Keepers" in community_names) == (role in sees_community)
    assert (quentin.username in people) == (role in sees_members)
    page = _get(client, cast, role, q="orchard").content.decode()
    assert ("Quentin Orchardson" in page) == (role in sees_members)


def test_people_are_found_by_handle_and_expertise_and_stems(cast):
    person = add_member(cast.community, UserFactory(username="retro_rita", display_name="Rita"))
    update_profile(actor=person, user=person, expertise=["facilitation"])
    assert find_people(viewer=cast.outsider, query="retro_rita", limit=5) == [person]
    assert find_people(viewer=cast.outsider, query="facilitating", limit=5) == [person]
    assert find_people(viewer=cast.outsider, query="RITA facilitation", limit=5) == [person]
    assert find_people(viewer=cast.outsider, query="rita gardening", limit=5) == []


def test_communities_are_found_by_purpose_and_tags(cast):
    tagged = CommunityFactory(name="Quiet Corner", purpose="Calm conversations.")
    tagged.tags.add(TagFactory(name="retrospectives"))
    assert find_communities(viewer=cast.outsider, query="retrospective", limit=5) == [tagged]
    assert find_communities(viewer=cast.outsider, query="calm", limit=5) == [tagged]
    assert find_communities(viewer=cast.outsider, query="quiet calm", limit=5) == [tagged]


def test_deactivated_banned_and_held_are_never_found(client, cast):
    gone = add_member(cast.community, UserFactory(display_name="Zebulon Gone"))
    User.objects.filter(pk=gone.pk).update(is_active=False)
    User.objects.filter(pk=cast.banned.pk).update(display_name="Zebulon Banned")
    held = CommunityFactory(name="Zebulon Held")
    Community.objects.filter(pk=held.pk).update(is_held_for_review=True)
    for viewer in (cast.outsider, cast.member, cast.staff):
        names = [p.display_name for p in find_people(viewer=viewer, query="zebulon", limit=5)]
        assert "Zebulon Gone" not in names
    assert find_people(viewer=cast.outsider, query="zebulon", limit=5) == []
    # Staff see every active account, the banned one included; members see members only.
    assert find_people(viewer=cast.member, query="zebulon", limit=5) == []
    response = client.get("/search/", {"q": "zebulon"})
    assert response.context["communities_found"] == []
    client.force_login(cast.staff)
    found = client.get("/search/", {"q": "zebulon"}).context["communities_found"]
    assert [community.name for community in found] == ["Zebulon Held"]


def test_an_anonymous_asker_is_not_found_through_their_question(client, cast):
    asker = add_member(cast.community, UserFactory(display_name="Zora Quietfield"))
    make_thread(
        author=asker, community=cast.community, title="Conflict in retrospectives",
        body="How do we keep it kind?", is_anonymous=True,
    )  # fmt: skip
    for role in ROLES:
        response = _get(client, cast, role, q="conflict")
        page = response.content.decode()
        assert "Conflict in retrospectives" in page
        assert response.context["people_found"] == []
        assert "Zora" not in page
        assert asker.username not in page
        client.logout()
    # Her name finds her (she is a member of an open community), never the question.
    response = _get(client, cast, "outsider", q="quietfield")
    assert _sections(response)[1] == [asker.username]
    assert "Conflict in retrospectives" not in response.content.decode()


def test_inside_one_community_only_its_members_and_the_directory_link(client, cast):
    other = CommunityFactory(name="Elsewhere")
    outsider_person = add_member(other, UserFactory(display_name="Wren Elsewhere"))
    members = [add_member(cast.community, UserFactory(display_name=f"Wren {n}")) for n in range(6)]
    response = _get(client, cast, "member", q="wren", c=cast.community.slug)
    assert response.context["communities_found"] == []
    found = _sections(response)[1]
    assert outsider_person.username not in found
    assert len(found) == 5
    assert set(found) <= {m.username for m in members}
    assert f"/c/{cast.community.slug}/members/?q=wren" in response.content.decode()


def test_the_type_filter_leaves_the_sections_out(client, cast):
    _name(cast.community, "Orchard Keepers")
    response = _get(client, cast, "member", q="orchard", type="questions")
    assert _sections(response) == ([], [])


@pytest.mark.parametrize(
    "query",
    ["", "   ", "x" * 5000, "%", "_", "%%", "' OR 1=1 --", '"unclosed', "NEAR(", "*"],
)
def test_bad_input_is_plain_text(client, cast, query):
    # `%` and `_` are literal: they do not match every name.
    CommunityFactory(name="Plain Name")
    response = _get(client, cast, "member", q=query)
    assert _sections(response) == ([], [])


def test_wildcards_are_literal_and_nul_is_refused(client, cast):
    hundred = CommunityFactory(name="100% remote")
    CommunityFactory(name="1005 things")
    under = CommunityFactory(name="snake_case club")
    CommunityFactory(name="snakeXcase club")
    assert find_communities(viewer=cast.member, query="100%", limit=5) == [hundred]
    assert find_communities(viewer=cast.member, query="snake_case", limit=5) == [under]
    assert client.get("/search/", {"q": "a\x00b"}).status_code == 400


def _query_count(client, viewer) -> int:
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "garden"})
    assert response.status_code == 200
    return len(queries)


def test_the_sections_keep_a_constant_query_count(client, cast):
    tag = TagFactory(name="gardening")

    def grow(start, stop):
        for n in range(start, stop):
            community = CommunityFactory(name=f"Garden {n}")
            community.tags.add(tag)
            person = UserFactory(display_name=f"Gardener {n}")
            Membership.objects.create(
                user=person, community=cast.community, status=MembershipStatus.ACTIVE
            )
            person.expertise.add(tag)

    grow(0, 5)
    few = _query_count(client, cast.member)
    first = client.get("/search/", {"q": "garden"})
    assert len(first.context["communities_found"]) == 5
    assert len(first.context["people_found"]) == 5
    grow(5, 50)
    assert _query_count(client, cast.member) == few
    page = client.get("/search/", {"q": "garden"}).content.decode()
    assert "/c/?q=garden" in page
    assert "More people match" in page
