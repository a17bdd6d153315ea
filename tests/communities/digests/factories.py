"""Digest test helpers: communities and threads through the communities' own helpers,
circles and their meetings as rows (communities publishes no circle helper to other apps)."""

import datetime
import uuid

from django.utils import timezone

from communities.digests import services
from communities.models import Circle, CircleMeeting, CircleMembership, Tag
from tests.communities.factories import UserFactory, add_member


def member_with_expertise(community, *tag_names, **user_kw):
    user = add_member(community, UserFactory(**user_kw))
    for name in tag_names:
        user.expertise.add(Tag.objects.get_or_create(name=name)[0])
    return user


def circle_of(community, *members, name="Reading circle", meeting_in_hours=30):
    circle = Circle.objects.create(
        community=community,
        name=name,
        slug=name.lower().replace(" ", "-"),
        kind="learning",
        purpose="Read together.",
        learning_goals="Finish the book.",
        weekday=0,
        time_of_day=datetime.time(18, 0),
        capacity=6,
    )
    for member in members:
        CircleMembership.objects.create(circle=circle, user=member)
    if meeting_in_hours is not None:
        CircleMeeting.objects.create(
            circle=circle,
            sequence=1,
            starts_at=timezone.now() + datetime.timedelta(hours=meeting_in_hours),
        )
    return circle


def later(minutes=1):
    return timezone.now() + datetime.timedelta(minutes=minutes)


def send_batch(kind, members, *, period="2026-11-28", token=None, now=None):
    return services.send_digest_batch(
        kind=kind,
        period=period,
        member_ids=[m.pk for m in members],
        claim_token=token or uuid.uuid4().hex,
        now=now or later(),
    )
