"""Circle and meeting URLs, under /c/<slug>/circles/ and the calendar feed."""

from django.urls import path

from communities.circles.views import calendar, circles, meetings

CIRCLE = "c/<slug:slug>/circles/<slug:circle_slug>/"
MEETING = CIRCLE + "meetings/<int:sequence>/"

urlpatterns = [
    path("c/<slug:slug>/circles/", circles.circle_list, name="circle-list"),
    path("c/<slug:slug>/circles/new/", circles.circle_create, name="circle-create"),
    path(CIRCLE, circles.circle_detail, name="circle-detail"),
    path(CIRCLE + "join/", circles.circle_join, name="circle-join"),
    path(CIRCLE + "leave/", circles.circle_leave, name="circle-leave"),
    path(CIRCLE + "approve/", circles.circle_approve, name="circle-approve"),
    path(MEETING, meetings.meeting_detail, name="meeting-detail"),
    path(MEETING + "rsvp/", meetings.meeting_rsvp, name="meeting-rsvp"),
    path(MEETING + "attendance/", meetings.meeting_attendance, name="meeting-attendance"),
    path(MEETING + "notes/", meetings.meeting_notes, name="meeting-notes"),
    path(MEETING + "place/", meetings.meeting_place, name="meeting-place"),
    path(MEETING + "commitment/", meetings.meeting_commitment, name="meeting-commitment"),
    path(MEETING + "reflection/", meetings.meeting_reflection, name="meeting-reflection"),
    path("circles/rsvp/<str:token>/", meetings.rsvp_from_email, name="rsvp-from-email"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/new-address/", calendar.calendar_regenerate, name="calendar-regenerate"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
]
