from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.core.models.communities import Role, Visibility
from communities.core.selectors import community_directory, member_directory
from communities.models import Circle, CircleMeeting, Membership, Thread
from tests.communities.factories import (
    CommunityFactory,
    TagFactory,
    UserFactory,
    add_member,
    manager_of,
    new_community,
)

pytestmark = pytest.mark.django_db


def test_the_directory_searches_and_filters_and_hides_private_communities(client):
    tag = TagFactory(name="facilitation")
    workshops = CommunityFactory(name="Workshop hosts", purpose="Running better workshops.")
    workshops.tags.add(tag)
    CommunityFactory(name="Data folk", purpose="Pipelines", kind="learning", stage="maturing")
    CommunityFactory(name="Secret workshop", visibility=Visibility.PRIVATE)
    CommunityFactory(name="Reviewed workshop", visibility=Visibility.RESTRICTED)

    def names(**criteria):
        response = client.get(reverse("communities:community-list"), criteria)
        return [c.name for c in response.context["page"].object_list]

    assert names(q="workshop") == ["Reviewed workshop", "Workshop hosts"]
    assert names(q="pipelines") == ["Data folk"]
    assert names(kind="learning") == ["Data folk"]
    assert names(stage="maturing") == ["Data folk"]
    assert names(tag="facilitation") == ["Workshop hosts"]
    assert "Secret workshop" not in client.get(reverse("communities:community-list")).text


def test_private_communities_show_to_their_members_and_staff_only():
    private = new_community(visibility=Visibility.PRIVATE, name="Hidden")
    member = add_member(private)
    assert list(community_directory(viewer=UserFactory())) == []
    assert list(community_directory(viewer=member)) == [private]
    assert list(community_directory(viewer=UserFactory(is_staff=True))) == [private]


def test_the_directory_pages_by_twenty(client):
    CommunityFactory.create_batch(45)
    response = client.get(reverse("communities:community-list"), {"page": 3})
    assert len(response.context["page"].object_list) == 5
    assert "Page 3 of 3" in response.text


def test_the_member_directory_searches_name_handle_and_expertise(client):
    community = new_community()
    python = TagFactory(name="python")
    ada = add_member(community, UserFactory(username="ada", display_name="Ada Lovelace"))
    ada.expertise.add(python)
    add_member(community, UserFactory(username="bob", display_name="Bob Brown"))
    by_name = member_directory(viewer=ada, community=community, query="lovel")
    assert [m.user for m in by_name] == [ada]
    assert [m.user for m in member_directory(viewer=ada, community=community, tag="python")] == [
        ada
    ]
    page = client.get(reverse("communities:member-list", args=[community.slug]), {"q": "ada"})
    assert "Ada Lovelace" in page.text
    assert "Bob Brown" not in page.text
    assert "python" in page.text


# Query counts -----------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def make_communities(n: int):
    tags = [TagFactory(), TagFactory()]
    for community in CommunityFactory.create_batch(n):
        community.tags.set(tags)


@pytest.mark.parametrize("viewer", ["anonymous", "member", "staff"])
def test_the_directory_keeps_its_query_count_as_communities_grow(client, viewer):
    if viewer != "anonymous":
        client.force_login(UserFactory(is_staff=viewer == "staff"))
    url = reverse("communities:community-list")
    make_communities(5)
    small = count_queries(client, url)
    make_communities(45)
    assert count_queries(client, url) == small


def grow_community(community, n: int, circle: Circle):
    tags = [TagFactory(name="python"), TagFactory(name="coaching")]
    start = Membership.objects.filter(community=community).count()
    for i in range(n):
        user = UserFactory()
        user.expertise.set(tags)
        role = Role.CHAMPION if i % 5 == 0 else Role.MEMBER
        Membership.objects.create(user=user, community=community, status="active", role=role)
        thread = Thread.objects.create(
            community=community,
            author=user,
            kind="question",
            title=f"Question {start + i}",
            body="How do you start?",
        )
        thread.tags.set(tags)
        CircleMeeting.objects.create(
            circle=circle,
            sequence=start + i + 1,
            starts_at=timezone.now() + timedelta(days=i + 1),
            facilitator=user,
            timekeeper=user,
            note_taker=user,
        )


@pytest.fixture
def circle_community():
    community = new_community()
    circle = Circle.objects.create(
        community=community,
        name="Morning circle",
        slug="morning",
        kind="learning",
        purpose="Learn",
        learning_goals="Goals",
        weekday=0,
        time_of_day=time(9),
        capacity=6,
    )
    return community, circle


def test_the_community_page_keeps_its_query_count_as_members_and_meetings_grow(
    client, circle_community
):
    community, circle = circle_community
    client.force_login(manager_of(community))
    url = reverse("communities:community-detail", args=[community.slug])
    grow_community(community, 5, circle)
    small = count_queries(client, url)
    grow_community(community, 45, circle)
    page = client.get(url)
    assert len(page.context["meetings"]) == 5
    assert len(page.context["recent_threads"]) == 5
    assert len(page.context["leaders"]) == 11
    assert count_queries(client, url) == small


def test_the_member_directory_keeps_its_query_count_as_members_grow(client, circle_community):
    community, circle = circle_community
    client.force_login(manager_of(community))
    url = reverse("communities:member-list", args=[community.slug])
    grow_community(community, 5, circle)
    small = count_queries(client, url)
    grow_community(community, 44, circle)
    assert count_queries(client, url) == small
    assert len(client.get(url).context["page"].object_list) == 50


def test_join_requests_page_keeps_its_query_count(client):
    from communities.core.services.joining import request_to_join

    community = new_community(visibility=Visibility.RESTRICTED)
    client.force_login(manager_of(community))
    url = reverse("communities:join-request-list", args=[community.slug])

    def ask(n):
        for _ in range(n):
            user = UserFactory()
            user.expertise.add(TagFactory())
            request_to_join(user=user, community=community, message="Hi", agreed_to_guidelines=True)

    ask(5)
    small = count_queries(client, url)
    ask(45)
    assert count_queries(client, url) == small
