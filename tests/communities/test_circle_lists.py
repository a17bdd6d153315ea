"""The circle list and a circle's page keep a constant number of queries as data grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.circles.models import CircleKind, CircleStatus
from communities.circles.services.circles import generate_meetings
from communities.models import Circle, CircleMembership
from tests.communities.factories import CommunityFactory, make_circle, make_member

pytestmark = [pytest.mark.django_db]


def _list_queries(client, circles: int) -> int:
    community = CommunityFactory()
    viewer = make_member(community)
    people = [make_member(community) for _ in range(4)]
    for n in range(circles):
        circle = Circle.objects.create(
            community=community,
            name=f"Circle {n}",
            slug=f"circle-{n}",
            kind=CircleKind.LEARNING,
            purpose="Learn together.",
            learning_goals="Practise.",
            weekday=n % 7,
            time_of_day="18:00",
            capacity=6,
            status=CircleStatus.ACTIVE,
        )
        CircleMembership.objects.bulk_create(
            [CircleMembership(circle=circle, user=person) for person in people]
        )
        generate_meetings(circle=circle, horizon=2)
    client.force_login(viewer)
    url = reverse("communities:circle-list", kwargs={"slug": community.slug})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="card circle-card"') == circles
    return len(queries)


def test_the_circle_list_keeps_its_query_count_with_5_and_50_circles(client):
    small = _list_queries(client, 5)
    large = _list_queries(client, 50)
    # Includes the unread-notification count in the navigation; the session is read from the
    # cache.
    assert small == large == 5


def _detail_queries(client, meetings: int) -> int:
    community = CommunityFactory()
    circle = make_circle(community, members=8, capacity=8)
    generate_meetings(circle=circle, horizon=meetings)
    client.force_login(circle.created_by)
    url = reverse(
        "communities:circle-detail", kwargs={"slug": community.slug, "circle_slug": circle.slug}
    )
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_circle_page_keeps_its_query_count_with_5_and_50_meetings(client):
    small = _detail_queries(client, 5)
    large = _detail_queries(client, 50)
    # 10 includes the unread-notification count, upcoming and recent past meetings
    # loaded apart (the page no longer loads a circle's whole history to show ten), and
    # the member's notification settings for the circle and its community (one query); the
    # session is read from the cache.
    assert small == large == 9


def test_anonymous_visitors_of_an_open_community_see_its_circles(client):
    community = CommunityFactory()
    make_circle(community, members=2, name="Reading group")
    page = client.get(reverse("communities:circle-list", kwargs={"slug": community.slug}))
    assert "Reading group" in page.content.decode()
