"""Demo circles for `seed_demo`: two circles with past and upcoming meetings whose roles have
rotated. Called with a community and at least four of its active members; idempotent."""

import datetime as dt

from django.db.models import F

from communities.models import Circle, CircleMeeting, Community
from communities.models.circles import Cadence, CircleKind
from communities.services.circles import (
    generate_meetings,
    join_circle,
    mark_attendance,
    propose_circle,
    set_commitment,
)

CIRCLES = [
    {
        "name": "Workshop craft",
        "kind": CircleKind.LEARNING,
        "purpose": "Get better at designing and running workshops, one experiment at a time.",
        "learning_goals": "Design a 90-minute workshop; run it; debrief it honestly.",
        "cadence": Cadence.WEEKLY,
        "weekday": 1,
        "time_of_day": dt.time(17, 0),
        "timezone_name": "Europe/Stockholm",
        "capacity": 6,
    },
    {
        "name": "Working out loud",
        "kind": CircleKind.WORKING_OUT_LOUD,
        "purpose": "Make our work visible and build the relationships that help it along.",
        "learning_goals": "Each of us reaches one goal through people we did not know before.",
        "cadence": Cadence.FORTNIGHTLY,
        "weekday": 3,
        "time_of_day": dt.time(9, 30),
        "timezone_name": "Europe/London",
        "capacity": 5,
    },
]
PAST_MEETINGS = 3


def seed_circles(community: Community, members: list) -> list[Circle]:
    circles = []
    for spec in CIRCLES:
        existing = Circle.objects.filter(community=community, name=spec["name"]).first()
        if existing:
            circles.append(existing)
            continue
        circle = propose_circle(actor=members[0], community=community, **spec)
        for person in members[1:4]:
            join_circle(user=person, circle=circle)
        # Demo only: move the first meetings into the past, so the circle has a history.
        step = dt.timedelta(days=7 if spec["cadence"] == Cadence.WEEKLY else 14)
        CircleMeeting.objects.filter(circle=circle).update(
            starts_at=F("starts_at") - step * (PAST_MEETINGS + 1)
        )
        for meeting in CircleMeeting.objects.filter(
            circle=circle, sequence__lte=PAST_MEETINGS
        ).select_related("circle__community"):
            for person in members[:4]:
                mark_attendance(user=person, meeting=meeting, attended=True)
                set_commitment(
                    user=person,
                    meeting=meeting,
                    text=f"Try one idea from meeting {meeting.sequence} and report back.",
                )
        generate_meetings(circle=circle)
        circles.append(circle)
    return circles
