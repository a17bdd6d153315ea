"""Health snapshots and back-dated activity for the health tests."""

import datetime as dt

import factory

from communities.models import (
    Circle,
    CircleMembership,
    HealthSnapshot,
    Membership,
    MembershipStateChange,
    Post,
    Thread,
)

TODAY = dt.date(2026, 11, 20)


def at(day: dt.date, hour: float = 12) -> dt.datetime:
    """A moment on `day` (UTC)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC) + dt.timedelta(hours=hour)


def backdate(thing: Thread | Post, when: dt.datetime) -> None:
    """Move a thread or reply back in time (the services stamp them with now)."""
    type(thing).objects.filter(pk=thing.pk).update(created_at=when)
    thing.created_at = when


def backdate_membership(membership: Membership, when: dt.datetime) -> None:
    """Move a membership's joining, and the role and status changes logged so far, back to
    `when` (the services stamp them with now)."""
    Membership.objects.filter(pk=membership.pk).update(joined_at=when)
    MembershipStateChange.objects.filter(membership=membership).update(changed_at=when)


class HealthSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthSnapshot

    taken_on = TODAY
    age_days = 400
    members = 100
    active_members = 40
    contributors = 15
    creators = 5
    threads_week = 10
    replies_week = 40
    leader_post_share = 0.15
    answered_by_members_share = 0.8
    median_first_answer_hours = 5.0
    unanswered_24h = 1


def weekly_history(community, weeks: int, *, day: dt.date = TODAY, **series):
    """One snapshot a week for `weeks` weeks up to `day`; each keyword is a value or a
    function of weeks-ago."""
    rows = []
    for ago in range(weeks - 1, -1, -1):
        values = {k: (v(ago) if callable(v) else v) for k, v in series.items()}
        rows.append(
            HealthSnapshotFactory(
                community=community, taken_on=day - dt.timedelta(weeks=ago), **values
            )
        )
    return rows


def circle_of(community, *members, name="Reading circle") -> Circle:
    circle = Circle.objects.create(
        community=community,
        name=name,
        slug=name.lower().replace(" ", "-"),
        kind="learning",
        purpose="Read together.",
        learning_goals="Finish the book.",
        weekday=0,
        time_of_day=dt.time(18, 0),
        capacity=6,
        status="active",
    )
    for member in members:
        CircleMembership.objects.create(circle=circle, user=member)
    return circle
