"""Reads of circles and their meetings."""

from django.db.models import QuerySet

from communities.models import CircleMeeting, Community


def upcoming_meetings_for_community(*, viewer, community: Community) -> QuerySet[CircleMeeting]:
    """Upcoming meetings of the community's circles that `viewer` may see, soonest first,
    carrying the circle and the three role holders."""
    from django.utils import timezone

    return (
        CircleMeeting.objects.filter(
            circle__community=community, starts_at__gte=timezone.now(), is_cancelled=False
        )
        .select_related("circle", "facilitator", "timekeeper", "note_taker")
        .order_by("starts_at")
    )
