"""Proposing, joining and leaving circles, and the meetings they get."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communities.circles.models import Cadence, CircleMembershipStatus, CircleStatus
from communities.circles.services.circles import (
    generate_meetings,
    join_circle,
    leave_circle,
    propose_circle,
)
from communities.circles.services.schedule import meeting_times
from communities.core.models.communities import MembershipStatus
from communities.models import Circle, CircleMeeting, CircleMembership
from tests.communities.factories import (
    CommunityFactory,
    UserFactory,
    circle_fields,
    make_circle,
    make_member,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def community():
    return CommunityFactory()


def test_a_member_proposes_a_circle_and_is_its_first_member(community):
    ana = make_member(community)
    circle = propose_circle(actor=ana, community=community, **circle_fields())
    assert circle.status == CircleStatus.FORMING
    assert circle.slug == "facilitation-practice-circle"
    assert list(circle.memberships.values_list("user_id", flat=True)) == [ana.pk]
    again = propose_circle(actor=ana, community=community, **circle_fields())
    assert again.slug == "facilitation-practice-circle-2"


@pytest.mark.parametrize(
    "status", [None, MembershipStatus.PENDING, MembershipStatus.BANNED, MembershipStatus.LEFT]
)
def test_only_members_who_may_post_propose_circles(community, status):
    person = UserFactory() if status is None else make_member(community, status=status)
    with pytest.raises(PermissionDenied):
        propose_circle(actor=person, community=community, **circle_fields())
    assert not Circle.objects.exists()


def test_a_member_who_has_not_agreed_to_new_guidelines_cannot_propose(community):
    ana = make_member(community)
    community.guidelines_version = 2
    community.save(update_fields=["guidelines_version"])
    with pytest.raises(PermissionDenied):
        propose_circle(actor=ana, community=community, **circle_fields())


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"capacity": 3}, "capacity"),
        ({"capacity": 9}, "capacity"),
        ({"timezone_name": "Mars/Olympus"}, "timezone"),
        ({"name": "  "}, "name"),
        ({"cadence": "daily"}, "cadence"),
    ],
)
def test_bad_proposals_are_refused_with_a_message_and_nothing_is_written(
    community, override, field
):
    ana = make_member(community)
    with pytest.raises(ValidationError) as error:
        propose_circle(actor=ana, community=community, **circle_fields(**override))
    assert field in error.value.message_dict
    assert not Circle.objects.exists()
    assert not CircleMembership.objects.exists()


def test_the_fourth_member_makes_the_circle_active_with_four_meetings_ahead(community):
    circle = make_circle(community, members=3)
    assert circle.status == CircleStatus.FORMING
    assert not circle.meetings.exists()
    join_circle(user=make_member(community), circle=circle)
    circle.refresh_from_db()
    assert circle.status == CircleStatus.ACTIVE
    meetings = list(circle.meetings.order_by("sequence"))
    assert [m.sequence for m in meetings] == [1, 2, 3, 4]
    first = meetings[0]
    assert {first.facilitator_id, first.timekeeper_id, first.note_taker_id} <= set(
        circle.memberships.values_list("user_id", flat=True)
    )
    assert len({first.facilitator_id, first.timekeeper_id, first.note_taker_id}) == 3


def test_a_full_circle_refuses_the_next_person_plainly(community):
    circle = make_circle(community, members=4, capacity=4)
    late = make_member(community)
    with pytest.raises(ValidationError, match="full: all 4 seats are taken"):
        join_circle(user=late, circle=circle)
    assert not CircleMembership.objects.filter(user=late).exists()


@pytest.mark.parametrize("status", [MembershipStatus.PENDING, MembershipStatus.BANNED])
def test_only_active_community_members_join(community, status):
    circle = make_circle(community)
    for person in (UserFactory(), make_member(community, status=status)):
        with pytest.raises(ValidationError, match="Only active members"):
            join_circle(user=person, circle=circle)
    assert circle.memberships.count() == 1


def test_joining_twice_keeps_one_seat(community):
    circle = make_circle(community)
    ben = make_member(community)
    join_circle(user=ben, circle=circle)
    join_circle(user=ben, circle=circle)
    assert circle.memberships.filter(user=ben).count() == 1


def test_leaving_hands_on_upcoming_roles_and_frees_the_seat(community):
    circle = make_circle(community, members=5, capacity=5)
    meeting = circle.meetings.order_by("sequence").first()
    leaver = meeting.facilitator
    leave_circle(user=leaver, circle=circle)
    meeting.refresh_from_db()
    assert leaver.pk not in (meeting.facilitator_id, meeting.timekeeper_id, meeting.note_taker_id)
    assert meeting.facilitator_id is not None
    assert not circle.meetings.filter(facilitator=leaver).exists()
    join_circle(user=make_member(community), circle=circle)  # the seat is free again
    membership = CircleMembership.objects.get(circle=circle, user=leaver)
    assert membership.status == CircleMembershipStatus.LEFT


def test_leaving_a_circle_one_is_not_in_says_so(community):
    circle = make_circle(community)
    with pytest.raises(ValidationError, match="not in this circle"):
        leave_circle(user=make_member(community), circle=circle)


def test_the_last_member_leaving_closes_the_circle(community):
    circle = make_circle(community)
    leave_circle(user=circle.created_by, circle=circle)
    circle.refresh_from_db()
    assert circle.status == CircleStatus.CLOSED
    with pytest.raises(ValidationError, match="closed"):
        join_circle(user=make_member(community), circle=circle)


def test_generating_meetings_is_idempotent_and_skips_forming_circles(community):
    forming = make_circle(community, members=2)
    assert generate_meetings(circle=forming) == []
    circle = make_circle(community, members=4)
    assert generate_meetings(circle=circle) == []
    assert circle.meetings.count() == 4
    assert len(generate_meetings(circle=circle, horizon=6)) == 2
    assert list(circle.meetings.values_list("sequence", flat=True).order_by("sequence")) == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]


def test_generation_follows_on_after_past_meetings(community):
    circle = make_circle(community, members=4)
    # The first two meetings are over: two more appear, a week after the last one.
    CircleMeeting.objects.filter(circle=circle, sequence__lte=2).update(
        starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    created = generate_meetings(circle=circle)
    assert [m.sequence for m in created] == [5, 6]
    last_two = list(circle.meetings.filter(sequence__gte=4).order_by("sequence"))
    assert last_two[1].starts_at - last_two[0].starts_at == dt.timedelta(days=7)


def _circle(**overrides):
    fields = circle_fields(**overrides)
    return Circle(
        weekday=fields["weekday"],
        time_of_day=fields["time_of_day"],
        timezone=fields["timezone_name"],
        cadence=fields["cadence"],
    )


def test_weekly_meetings_keep_the_local_time_across_the_dst_change():
    circle = _circle(weekday=1, time_of_day=dt.time(18, 30), timezone_name="Europe/Berlin")
    after = dt.datetime(2026, 3, 16, tzinfo=dt.UTC)
    times = meeting_times(circle, after=after, count=3)
    berlin = ZoneInfo("Europe/Berlin")
    assert [t.astimezone(berlin).strftime("%a %d %H:%M") for t in times] == [
        "Tue 17 18:30",
        "Tue 24 18:30",
        "Tue 31 18:30",
    ]
    # Stored in UTC: 17:30 in winter, 16:30 after clocks go forward on 29 March.
    assert [t.utcoffset() for t in times] == [dt.timedelta(0)] * 3
    assert [t.hour for t in times] == [17, 17, 16]


def test_fortnightly_and_monthly_cadences():
    after = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    fortnightly = meeting_times(
        _circle(cadence=Cadence.FORTNIGHTLY, weekday=3, timezone_name="UTC"), after=after, count=3
    )
    assert [t.date() for t in fortnightly] == [
        dt.date(2026, 1, 1),
        dt.date(2026, 1, 15),
        dt.date(2026, 1, 29),
    ]
    monthly = meeting_times(
        _circle(cadence=Cadence.MONTHLY, weekday=0, timezone_name="America/New_York"),
        after=after,
        count=4,
    )
    local = [t.astimezone(ZoneInfo("America/New_York")) for t in monthly]
    # The first Monday of each month, at 18:30 New York time, summer time included.
    assert [t.date() for t in local] == [
        dt.date(2026, 1, 5),
        dt.date(2026, 2, 2),
        dt.date(2026, 3, 2),
        dt.date(2026, 4, 6),
    ]
    assert {t.strftime("%H:%M") for t in local} == {"18:30"}
