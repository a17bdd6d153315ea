"""Times in the viewer's zone (issue 14): pages, emails, rate-limit messages; meetings in the
circle's local time and the viewer's; meeting places and video links."""

import datetime as dt
import re
import zoneinfo

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from communities.circles.models import Circle, CircleMeeting
from communities.circles.services.circles import generate_meetings, join_circle, propose_circle
from communities.circles.services.meetings import set_meeting_place
from communities.circles.services.reminders import calendar_feed_of, send_reminders_for_meeting
from communities.circles.times import meeting_when
from communities.core.errors import NotAllowed, ValidationError
from communities.core.models.communities import Role
from communities.core.zones import TZ_COOKIE, ViewerTimezoneMiddleware, for_request, zone_named
from tests.communities.factories import (
    CommunityFactory,
    UserFactory,
    add_member,
    circle_fields,
    make_circle,
    make_member,
)

pytestmark = pytest.mark.django_db

NEW_YORK = "America/New_York"
TOKYO = "Asia/Tokyo"


def _mine(moment: dt.datetime, zone: str) -> str:
    """What the viewer in `zone` reads after the circle's time: "12:30 your time (zone)"."""
    return f"{moment.astimezone(zoneinfo.ZoneInfo(zone)):%H:%M} your time ({zone})"


@pytest.fixture
def world():
    """A Berlin circle (18:30 on Tuesdays) with a member in New York and one in Tokyo."""
    community = CommunityFactory()
    new_york = make_member(community, timezone=NEW_YORK)
    tokyo = make_member(community, timezone=TOKYO)
    circle = make_circle(community, proposer=new_york, members=3, timezone_name="Europe/Berlin")
    join_circle(user=tokyo, circle=circle)
    circle = Circle.objects.get(pk=circle.pk)
    meeting = circle.meetings.order_by("sequence").first()
    assert meeting is not None
    return community, circle, meeting, new_york, tokyo


def _page(client, user, url: str) -> str:
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- one filter for a meeting's time --------------------------------------------------------


def test_a_meeting_reads_in_the_circles_zone_and_the_readers_when_they_differ():
    starts_at = dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)  # 18:30 in Berlin
    with timezone.override(zoneinfo.ZoneInfo(NEW_YORK)):
        assert meeting_when(starts_at, "Europe/Berlin") == (
            "Tue 1 Dec 2026, 18:30 Europe/Berlin · 12:30 your time (America/New_York)"
        )
    with timezone.override(zoneinfo.ZoneInfo(TOKYO)):
        # Another day in Tokyo: the day is named too.
        assert meeting_when(starts_at, "Europe/Berlin").endswith(
            " · Wed 2 Dec, 02:30 your time (Asia/Tokyo)"
        )
    with timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")):
        assert meeting_when(starts_at, "Europe/Berlin") == "Tue 1 Dec 2026, 18:30 Europe/Berlin"


# --- the same meeting, each at their own time -----------------------------------------------


@pytest.mark.parametrize(("who", "zone"), [("new_york", NEW_YORK), ("tokyo", TOKYO)])
def test_members_in_new_york_and_tokyo_see_the_meeting_at_their_own_times(client, world, who, zone):
    community, circle, meeting, new_york, tokyo = world
    viewer = {"new_york": new_york, "tokyo": tokyo}[who]
    other = NEW_YORK if zone == TOKYO else TOKYO
    berlin = f"{meeting.starts_at.astimezone(zoneinfo.ZoneInfo('Europe/Berlin')):%H:%M}"
    pages = {
        "circle": f"/c/{community.slug}/circles/{circle.slug}/",
        "home": "/",
        "calendar": "/calendar/",
        "meeting": f"/c/{community.slug}/circles/{circle.slug}/meetings/{meeting.sequence}/",
    }
    for name, url in pages.items():
        html = _page(client, viewer, url)
        assert _mine(meeting.starts_at, zone) in html, name
        assert f"{berlin} Europe/Berlin" in html, name
        assert other not in html, name


def test_the_calendar_page_names_the_viewers_zone_and_links_from_circle_and_meeting(client, world):
    community, circle, meeting, new_york, _ = world
    assert "and in yours, America/New_York" in _page(client, new_york, "/calendar/")
    for url in (
        f"/c/{community.slug}/circles/{circle.slug}/",
        f"/c/{community.slug}/circles/{circle.slug}/meetings/{meeting.sequence}/",
    ):
        assert 'href="/calendar/"' in _page(client, new_york, url)


# --- anonymous visitors: the browser's zone, from the cookie ---------------------------------


def test_an_anonymous_visitor_with_a_tz_cookie_sees_their_zone(client, world):
    community, circle, meeting, *_ = world
    client.cookies[TZ_COOKIE] = TOKYO
    html = _page(client, None, f"/c/{community.slug}/circles/{circle.slug}/")
    assert _mine(meeting.starts_at, TOKYO) in html


@pytest.mark.parametrize("cookie", ["Mars/Olympus_Mons", "../../etc/passwd", "", "x" * 300])
def test_a_bad_tz_cookie_means_utc_without_an_error(client, world, cookie):
    community, circle, meeting, *_ = world
    client.cookies[TZ_COOKIE] = cookie
    html = _page(client, None, f"/c/{community.slug}/circles/{circle.slug}/")
    assert _mine(meeting.starts_at, "UTC") in html


def test_the_zone_of_a_request():
    factory = RequestFactory()
    anonymous = factory.get("/", HTTP_COOKIE=f"{TZ_COOKIE}={TOKYO}")
    anonymous.user = type("Anonymous", (), {"is_authenticated": False})()
    assert for_request(anonymous).key == TOKYO
    member = factory.get("/", HTTP_COOKIE=f"{TZ_COOKIE}={TOKYO}")
    member.user = UserFactory.build(timezone=NEW_YORK)
    assert for_request(member).key == NEW_YORK  # the profile wins over the browser
    assert zone_named("Not/AZone").key == "UTC"
    assert zone_named(None).key == "UTC"


def test_every_page_loads_the_timezone_script_from_a_static_file(client):
    html = client.get("/").content.decode()
    assert re.search(r'<script src="[^"]*js/timezone\.js" defer></script>', html)


# --- emails in the recipient's zone ----------------------------------------------------------


def test_a_reminder_to_a_member_in_tokyo_shows_tokyo_time(world):
    _, _, meeting, new_york, tokyo = world
    soon = timezone.now() + dt.timedelta(hours=5)
    CircleMeeting.objects.filter(pk=meeting.pk).update(starts_at=soon)
    CircleMeeting.objects.filter(pk=meeting.pk).update(
        place="Room 4", video_url="https://v.example/x"
    )
    send_reminders_for_meeting(meeting_id=meeting.pk)
    by_address = {message.to[0]: message for message in mail.outbox}
    to_tokyo = by_address[tokyo.email]
    html = to_tokyo.alternatives[0][0]
    for body in (to_tokyo.body, html):
        assert _mine(soon, TOKYO) in body
        assert NEW_YORK not in body
        assert "Room 4" in body
        assert "https://v.example/x" in body
    assert f"{soon.astimezone(zoneinfo.ZoneInfo(TOKYO)):%A %H:%M}" in to_tokyo.subject
    assert _mine(soon, NEW_YORK) in by_address[new_york.email].body
    # Rendering for one recipient leaves no zone behind.
    assert timezone.get_current_timezone_name() == "UTC"


# --- rate-limit messages in the viewer's zone ------------------------------------------------


@pytest.mark.new_member_limits
def test_a_rate_limit_message_names_the_time_in_the_viewers_zone(client):
    community = CommunityFactory()
    newcomer = make_member(community, timezone=TOKYO)
    client.force_login(newcomer)
    url = f"/c/{community.slug}/t/new/"
    data = {"kind": "discussion", "title": "First", "body": "Hello all", "tag_names": ""}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "title": "Second"})
    assert response.status_code == 429
    text = response.content.decode()
    found = re.search(r"\(at (\d\d:\d\d) Asia/Tokyo\)", text)
    assert found, text
    soon = timezone.now().astimezone(zoneinfo.ZoneInfo(TOKYO)) + dt.timedelta(minutes=2)
    assert found.group(1) in {
        f"{soon + dt.timedelta(minutes=delta):%H:%M}" for delta in (-2, -1, 0, 1)
    }
    assert "UTC" not in text.split("wait 2 minutes", 1)[1][:200]


# --- meeting places and video links ----------------------------------------------------------


def _place_url(community, circle, meeting) -> str:
    return f"/c/{community.slug}/circles/{circle.slug}/meetings/{meeting.sequence}/place/"


def test_the_facilitator_gives_a_place_and_a_video_link(client, world):
    community, circle, meeting, *_ = world
    client.force_login(meeting.facilitator)
    response = client.post(
        _place_url(community, circle, meeting),
        {"place": "Room 4,\nBuilding B", "video_url": "https://meet.example.org/retro"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Room 4, Building B"  # one clean line
    assert meeting.video_url == "https://meet.example.org/retro"
    html = _page(client, meeting.facilitator, f"/c/{community.slug}/circles/{circle.slug}/")
    assert "At Room 4, Building B" in html
    assert 'href="https://meet.example.org/retro" rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "data:text/html,hi", "ftp://files.example.org/x", "meet.example"],
)
def test_only_web_links_are_taken_with_a_clear_message_and_nothing_saved(client, world, link):
    community, circle, meeting, *_ = world
    client.force_login(meeting.facilitator)
    response = client.post(
        _place_url(community, circle, meeting), {"place": "Room 4", "video_url": link}
    )
    assert response.status_code == 200
    assert "Give a video link that starts with https:// (or http://)." in (
        response.content.decode()
    )
    meeting.refresh_from_db()
    assert (meeting.place, meeting.video_url) == ("", "")
    with pytest.raises(ValidationError):
        set_meeting_place(actor=meeting.facilitator, meeting=meeting, place="", video_url=link)


def test_who_may_say_where_a_meeting_happens(client, world):
    community, circle, meeting, *_ = world
    url = _place_url(community, circle, meeting)
    data = {"place": "Café", "video_url": ""}
    member = next(
        seat.user
        for seat in circle.memberships.select_related("user")
        if seat.user_id != meeting.facilitator_id
    )
    client.force_login(member)
    assert client.post(url, data).status_code == 403
    with pytest.raises(NotAllowed):
        set_meeting_place(actor=member, meeting=meeting, place="Café", video_url="")
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.post(url, data).status_code == 404
    client.logout()
    assert client.post(url, data).status_code == 302  # to sign in
    meeting.refresh_from_db()
    assert meeting.place == ""
    moderator = add_member(community, role=Role.MODERATOR)
    client.force_login(moderator)
    assert client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Café"


def test_a_circle_proposal_with_a_bad_video_link_is_refused(client):
    community = CommunityFactory()
    proposer = make_member(community)
    with pytest.raises(ValidationError):
        propose_circle(
            actor=proposer,
            community=community,
            **circle_fields(video_url="javascript:alert(1)"),
        )
    client.force_login(proposer)
    fields = circle_fields()
    data = {
        **fields,
        "timezone": fields.pop("timezone_name"),
        "time_of_day": "18:30",
        "duration_minutes": 60,
        "video_url": "javascript:alert(1)",
    }
    response = client.post(f"/c/{community.slug}/circles/new/", data)
    assert response.status_code == 200
    assert "Give a video link that starts with https://" in response.content.decode()
    assert not Circle.objects.exists()


def test_meetings_use_the_circles_usual_place_unless_they_say_otherwise(world):
    _, circle, meeting, *_ = world
    Circle.objects.filter(pk=circle.pk).update(
        place="The library", video_url="https://v.example/usual"
    )
    meeting = CircleMeeting.objects.select_related("circle").get(pk=meeting.pk)
    assert (meeting.where, meeting.video_link) == ("The library", "https://v.example/usual")
    set_meeting_place(actor=meeting.facilitator, meeting=meeting, place="The park", video_url="")
    meeting = CircleMeeting.objects.select_related("circle").get(pk=meeting.pk)
    assert (meeting.where, meeting.video_link) == ("The park", "https://v.example/usual")


def test_the_calendar_feed_carries_location_and_url(client, world):
    community, circle, meeting, new_york, _ = world
    set_meeting_place(
        actor=meeting.facilitator,
        meeting=meeting,
        place="Room 4",
        video_url="https://meet.example.org/retro",
    )
    token = calendar_feed_of(new_york).token
    response = client.get(f"/calendar/{token}.ics")
    events = {
        str(e["uid"]): e for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    }
    event = events[f"circle-meeting-{meeting.pk}@trellis"]
    assert str(event["location"]) == "Room 4 · https://meet.example.org/retro"
    assert str(event["url"]).endswith(
        f"/c/{community.slug}/circles/{circle.slug}/meetings/{meeting.sequence}/"
    )
    assert "Video call: https://meet.example.org/retro" in str(event["description"])
    assert b"LOCATION:" in response.content


def test_the_circle_page_keeps_its_query_count_with_more_meetings(client, world):
    community, circle, _, new_york, _ = world
    Circle.objects.filter(pk=circle.pk).update(place="The library")
    url = f"/c/{community.slug}/circles/{circle.slug}/"
    client.force_login(new_york)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert "At The library" in _page(client, None, url)
        return len(queries)

    few = count()
    generate_meetings(circle=circle, horizon=12)
    assert circle.meetings.count() >= 12
    assert count() == few


def test_the_viewer_is_read_for_the_zone_only_when_a_time_is_shown():
    """A request that shows no time (a redirect, a bare answer) never loads the person for it;
    one that does shows it in the person's zone, as plain zoneinfo."""
    person = type("Person", (), {"is_authenticated": True, "timezone": "Asia/Tokyo"})()
    reads = []

    def requested():
        request = RequestFactory().get("/")
        request.user = SimpleLazyObject(lambda: reads.append("user") or person)
        return request

    ViewerTimezoneMiddleware(lambda request: HttpResponse("ok"))(requested())
    assert reads == []

    noon_utc = dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC)
    shown = {}

    def shows_a_time(request):
        shown["local"] = timezone.localtime(noon_utc)
        shown["name"] = timezone.get_current_timezone_name()
        return HttpResponse("ok")

    ViewerTimezoneMiddleware(shows_a_time)(requested())
    assert reads == ["user"]
    assert shown["local"].hour == 21
    assert shown["local"].tzinfo is zoneinfo.ZoneInfo("Asia/Tokyo")
    assert shown["name"] == "Asia/Tokyo"
