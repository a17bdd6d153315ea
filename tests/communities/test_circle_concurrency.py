"""Two people reaching for the last seat of a circle at the same moment."""

import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from communities import permissions
from communities.circles.models import CircleMembershipStatus, CircleStatus
from communities.circles.services.circles import join_circle
from communities.models import Circle
from tests.communities.factories import CommunityFactory, make_circle, make_member

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_exactly_one_of_two_simultaneous_joins_gets_the_last_seat():
    community = CommunityFactory()
    circle = make_circle(community, members=3, capacity=4)
    rivals = [make_member(community), make_member(community)]
    both_inside = threading.Barrier(2, timeout=20)
    real_can = permissions.can

    def can_then_wait(user, action, obj=None):
        allowed = real_can(user, action, obj)
        if action == "join_circle":
            # Both transactions have begun (the check read the database) before either
            # reaches the seat count.
            both_inside.wait()
        return allowed

    outcomes: dict[int, object] = {}

    def take_seat(user):
        try:
            outcomes[user.pk] = join_circle(user=user, circle=circle)
        except ValidationError as error:
            outcomes[user.pk] = error
        finally:
            connection.close()

    with mock.patch.object(permissions, "can", can_then_wait):
        threads = [threading.Thread(target=take_seat, args=(user,)) for user in rivals]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    errors = [o for o in outcomes.values() if isinstance(o, ValidationError)]
    seats = [o for o in outcomes.values() if not isinstance(o, ValidationError)]
    assert len(outcomes) == 2
    assert len(seats) == 1
    assert len(errors) == 1
    assert "full: all 4 seats are taken" in errors[0].messages[0]
    circle = Circle.objects.get(pk=circle.pk)
    assert circle.memberships.filter(status=CircleMembershipStatus.ACTIVE).count() == 4
    assert circle.status == CircleStatus.ACTIVE
    assert circle.meetings.count() == 4
