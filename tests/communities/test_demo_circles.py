import pytest
from django.utils import timezone

from communities.demo_circles import seed_circles
from tests.communities.factories import CommunityFactory
from tests.communities.factories_circles import (
    fast_passwords,  # noqa: F401 - fixture
    make_member,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def test_demo_circles_have_past_and_upcoming_meetings_with_rotating_roles():
    community = CommunityFactory()
    members = [make_member(community) for _ in range(4)]
    circles = seed_circles(community, members)
    assert seed_circles(community, members) == circles  # idempotent
    for circle in circles:
        meetings = list(circle.meetings.order_by("sequence"))
        assert any(m.starts_at < timezone.now() for m in meetings)
        assert sum(m.starts_at > timezone.now() for m in meetings) == 4
        facilitators = [m.facilitator_id for m in meetings[:4]]
        assert len(set(facilitators)) == 4
