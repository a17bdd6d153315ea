"""Leaving, removal and bans end a person's circle seats in that community and hand on
their upcoming roles, so nobody outside the community is seated or rostered."""

import pytest

from communities.core.services.membership import ban_member, leave_community, remove_member
from communities.models import CircleMeeting, CircleMembership
from tests.communities.factories import Cast, make_circle

pytestmark = pytest.mark.django_db


def _holds_role(user, circle) -> bool:
    return any(
        user.pk in (m.facilitator_id, m.timekeeper_id, m.note_taker_id)
        for m in CircleMeeting.objects.filter(circle=circle)
    )


@pytest.fixture
def story(settings):
    cast = Cast()
    circle = make_circle(cast.community, proposer=cast.member, members=5)
    assert circle.status == "active"
    assert _holds_role(cast.member, circle)
    return cast, circle


@pytest.mark.parametrize(
    "end",
    [
        lambda cast: leave_community(user=cast.member, community=cast.community),
        lambda cast: remove_member(
            actor=cast.manager, community=cast.community, member=cast.member, reason="Asked to"
        ),
        lambda cast: ban_member(
            actor=cast.manager, community=cast.community, member=cast.member, reason="Abuse"
        ),
        lambda cast: ban_member(
            actor=cast.moderator, community=cast.community, member=cast.member, reason="Spam"
        ),
    ],
    ids=["leave", "remove", "ban", "moderation-ban"],
)
def test_ending_a_membership_ends_the_circle_seat_and_hands_on_roles(story, end):
    cast, circle = story
    end(cast)
    seat = CircleMembership.objects.get(circle=circle, user=cast.member)
    assert seat.status == "left"
    assert not _holds_role(cast.member, circle)
    upcoming = CircleMeeting.objects.filter(circle=circle)
    assert all(m.facilitator_id and m.timekeeper_id and m.note_taker_id for m in upcoming)
