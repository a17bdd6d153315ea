"""A member's calendar feed of upcoming meetings, behind a secret address."""

import datetime as dt

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from communities.circles.models import CalendarFeed
from communities.circles.selectors import (
    calendar_meetings_for_member,
    upcoming_meetings_for_member,
)
from communities.circles.services.reminders import calendar_feed_of, regenerate_calendar_feed

ROLE_NAMES = (
    ("facilitator_id", "Facilitator"),
    ("timekeeper_id", "Timekeeper"),
    ("note_taker_id", "Note-taker"),
)


def role_in(meeting, user) -> str:
    return next((name for field, name in ROLE_NAMES if getattr(meeting, field) == user.pk), "")


@login_required
def calendar_page(request):
    feed = calendar_feed_of(request.user)
    feed_url = request.build_absolute_uri(
        reverse("communities:calendar-feed", kwargs={"token": feed.token})
    )
    meetings = list(upcoming_meetings_for_member(request.user)[:20])
    for meeting in meetings:
        meeting.my_role = role_in(meeting, request.user)
    return render(
        request,
        "communities/circles/calendar.html",
        {"feed_url": feed_url, "meetings": meetings},
    )


@login_required
@require_POST
def calendar_regenerate(request):
    regenerate_calendar_feed(user=request.user)
    messages.success(
        request,
        "Your calendar has a new secret address. Subscribe to it again; the old one stops working.",
    )
    return redirect("communities:calendar")


def calendar_feed(request, token: str):
    # A deactivated account's feed stops at once, like its sign-in.
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("user").filter(user__is_active=True), token=token
    )
    user = feed.user
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Trellis//circle meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Trellis circle meetings")
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    now = timezone.now()
    circle_paths: dict[int, str] = {}
    for meeting in calendar_meetings_for_member(user):
        circle = meeting.circle
        role = role_in(meeting, user)
        if circle.pk not in circle_paths:
            # One reverse per circle; each meeting's path differs only in its number.
            circle_paths[circle.pk] = reverse(
                "communities:meeting-detail",
                kwargs={"slug": circle.community.slug, "circle_slug": circle.slug, "sequence": 0},
            ).removesuffix("0/")
        path = f"{circle_paths[circle.pk]}{meeting.sequence}/"
        event = icalendar.Event()
        event.add("uid", f"circle-meeting-{meeting.pk}@trellis")
        event.add("dtstamp", now)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.starts_at + dt.timedelta(minutes=circle.duration_minutes))
        event.add("summary", f"{circle.name} · meeting {meeting.sequence}")
        event.add(
            "description",
            (f"Your role: {role}." if role else "You hold no role this time.")
            + (f"\nVideo call: {meeting.video_link}" if meeting.video_link else "")
            + f"\n{circle.community.name}\n{base}{path}",
        )
        event.add("url", base + path)
        # Where: the place, the video link, or both (calendar apps make the link clickable).
        location = " · ".join(part for part in (meeting.where, meeting.video_link) if part)
        if location:
            event.add("location", location)
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="trellis-meetings.ics"'
    # The address is a secret: keep the feed out of shared caches and search engines.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
