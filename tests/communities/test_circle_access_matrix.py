"""Who gets what from every circle URL: one row per URL, one column per role, per visibility.

Add a row here with every new circle or meeting URL. Each cell is (open, restricted, private).
"""

import pytest
from django.urls import reverse

from communities.circles.services.reminders import calendar_feed_of, make_rsvp_token
from communities.core.models.communities import MembershipStatus, Role, Visibility
from tests.communities.factories import CommunityFactory, UserFactory, make_circle, make_member

pytestmark = [pytest.mark.django_db]

ROLES = ["anonymous", "outsider", "pending", "member", "moderator", "manager", "banned", "staff"]
VISIBILITIES = [Visibility.OPEN, Visibility.RESTRICTED, Visibility.PRIVATE]


def _all(status):
    return (status, status, status)


HIDDEN_UNLESS_OPEN = {"open": 200}
# Statuses per role for members-only content: open communities show it to everyone.
READ = {
    "anonymous": (200, 404, 404),
    "outsider": (200, 404, 404),
    "pending": (200, 404, 404),
    "member": _all(200),
    "moderator": _all(200),
    "manager": _all(200),
    "banned": (200, 404, 404),
    "staff": _all(200),
}
# Writes on a circle: anonymous people are sent to sign in; those who may see the circle get
# redirected back with a message saying what happened; hidden circles are 404.
CIRCLE_WRITE = {**dict.fromkeys(READ, (302, 404, 404)), "anonymous": _all(302)}
CIRCLE_WRITE.update({r: _all(302) for r in ("member", "moderator", "manager", "staff")})
# Meeting pages need an active membership of the community, whatever its visibility.
MEETING_READ = {
    "anonymous": _all(302),
    **{r: _all(404) for r in ("outsider", "pending", "banned")},
    **{r: _all(200) for r in ("member", "moderator", "manager", "staff")},
}
MEETING_ACTION = {**MEETING_READ, **{r: _all(302) for r in ("member", "moderator", "manager")}}
MEETING_ACTION["staff"] = _all(302)


def circle_url(name):
    return lambda w: reverse(
        f"communities:{name}", kwargs={"slug": w["community"].slug, "circle_slug": w["circle"].slug}
    )


def meeting_url(name):
    return lambda w: reverse(
        f"communities:{name}",
        kwargs={
            "slug": w["community"].slug,
            "circle_slug": w["circle"].slug,
            "sequence": w["meeting"].sequence,
        },
    )


MATRIX = [
    # (name, url builder, method, data, expected per role)
    (
        "circle-list",
        lambda w: reverse("communities:circle-list", kwargs={"slug": w["community"].slug}),
        "get",
        None,
        READ,
    ),
    (
        "circle-create",
        lambda w: reverse("communities:circle-create", kwargs={"slug": w["community"].slug}),
        "get",
        None,
        {
            **READ,
            "anonymous": _all(302),
            **dict.fromkeys(("outsider", "pending", "banned"), (403, 404, 404)),
        },
    ),
    (
        "circle-create",
        lambda w: reverse("communities:circle-create", kwargs={"slug": w["community"].slug}),
        "post",
        {
            "name": "Evening circle",
            "kind": "learning",
            "purpose": "Practise together.",
            "learning_goals": "Run one workshop each.",
            "cadence": "weekly",
            "weekday": "2",
            "time_of_day": "19:00",
            "timezone": "Europe/Berlin",
            "capacity": "6",
            "duration_minutes": "60",
        },
        {
            **READ,
            "anonymous": _all(302),
            **dict.fromkeys(("outsider", "pending", "banned"), (403, 404, 404)),
            **dict.fromkeys(("member", "moderator", "manager", "staff"), _all(302)),
        },
    ),
    ("circle-detail", circle_url("circle-detail"), "get", None, READ),
    ("circle-join", circle_url("circle-join"), "post", {}, CIRCLE_WRITE),
    ("circle-leave", circle_url("circle-leave"), "post", {}, CIRCLE_WRITE),
    ("meeting-detail", meeting_url("meeting-detail"), "get", None, MEETING_READ),
    ("meeting-rsvp", meeting_url("meeting-rsvp"), "post", {"rsvp": "yes"}, MEETING_ACTION),
    (
        "meeting-attendance",
        meeting_url("meeting-attendance"),
        "post",
        {"attended": "yes"},
        MEETING_ACTION,
    ),
    (
        "meeting-notes",
        meeting_url("meeting-notes"),
        "post",
        {"notes": "What we learned"},
        # The member here facilitates meeting 1; only its note-taker and moderators write notes.
        {**MEETING_ACTION, "member": _all(403)},
    ),
    (
        "meeting-commitment",
        meeting_url("meeting-commitment"),
        "post",
        {"commitment": "Try it once"},
        # People outside the circle see the page again with the reason as a form error.
        {**MEETING_ACTION, **{r: _all(200) for r in ("moderator", "manager", "staff")}},
    ),
    (
        "meeting-reflection",
        meeting_url("meeting-reflection"),
        "post",
        {"reflection": "Useful", "rating": "4"},
        # Before the meeting is over everyone who may see it gets the form back with a reason.
        {**MEETING_ACTION, **{r: _all(200) for r in ("member", "moderator", "manager", "staff")}},
    ),
]

# URLs outside communities: the secret token, not the role, decides. A row is
# (name, url builder, expected per role[, method]); the method is GET unless named.
PERSONAL = [
    (
        "calendar",
        lambda w: reverse("communities:calendar"),
        {**dict.fromkeys(ROLES, 200), "anonymous": 302},
    ),
    (
        "calendar-feed",
        lambda w: reverse("communities:calendar-feed", kwargs={"token": w["feed_token"]}),
        dict.fromkeys(ROLES, 200),
    ),
    (
        "calendar-feed unknown token",
        lambda w: reverse("communities:calendar-feed", kwargs={"token": "unknown"}),
        dict.fromkeys(ROLES, 404),
    ),
    (
        "rsvp-from-email",
        lambda w: reverse("communities:rsvp-from-email", kwargs={"token": w["rsvp_token"]}),
        dict.fromkeys(ROLES, 200),
    ),
    (
        "rsvp-from-email confirmed",
        lambda w: reverse("communities:rsvp-from-email", kwargs={"token": w["rsvp_token"]}),
        dict.fromkeys(ROLES, 200),
        "post",
    ),
    (
        "calendar-regenerate",
        lambda w: reverse("communities:calendar-regenerate"),
        dict.fromkeys(ROLES, 302),
        "post",
    ),
]


def build_world(visibility):
    community = CommunityFactory(visibility=visibility)
    people = {
        "anonymous": None,
        "outsider": UserFactory(),
        "pending": make_member(community, status=MembershipStatus.PENDING),
        "member": make_member(community),
        "moderator": make_member(community, role=Role.MODERATOR),
        "manager": make_member(community, role=Role.MANAGER),
        "banned": make_member(community, status=MembershipStatus.BANNED),
        "staff": UserFactory(is_staff=True),
    }
    circle = make_circle(community, proposer=people["member"], members=4, capacity=8)
    meeting = circle.meetings.order_by("sequence").first()
    assert meeting.facilitator_id == people["member"].pk
    return {
        "community": community,
        "circle": circle,
        "meeting": meeting,
        "people": people,
        "feed_token": calendar_feed_of(people["member"]).token,
        "rsvp_token": make_rsvp_token(
            user_id=people["member"].pk, meeting_id=meeting.pk, rsvp="no"
        ),
    }


def outcomes(client, world, url, method, data, expected_for):
    wrong = []
    for role in ROLES:
        client.logout()
        if world["people"][role] is not None:
            client.force_login(world["people"][role])
        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        if response.status_code != expected_for(role):
            wrong.append((role, response.status_code, expected_for(role)))
    return wrong


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize(
    ("name", "url_for", "method", "data", "expected"), MATRIX, ids=[row[0] for row in MATRIX]
)
def test_circle_urls_answer_each_role_as_the_matrix_says(
    client, visibility, name, url_for, method, data, expected
):
    world = build_world(visibility)
    column = VISIBILITIES.index(visibility)
    wrong = outcomes(
        client, world, url_for(world), method, data, lambda role: expected[role][column]
    )
    assert wrong == [], f"{name} on a {visibility} community: (role, got, expected) {wrong}"


@pytest.mark.parametrize(
    ("name", "url_for", "expected", "method"),
    [(*row, "get")[:4] for row in PERSONAL],
    ids=[row[0] for row in PERSONAL],
)
def test_personal_urls_answer_each_role_as_the_matrix_says(client, name, url_for, expected, method):
    world = build_world(Visibility.PRIVATE)
    wrong = outcomes(client, world, url_for(world), method, {}, lambda role: expected[role])
    assert wrong == [], f"{name}: (role, got, expected) {wrong}"


def test_private_circles_are_absent_from_lists_for_outsiders(client):
    world = build_world(Visibility.PRIVATE)
    from communities.circles.selectors import (
        circles_for_community,
        upcoming_meetings_for_community,
    )

    for role in ("outsider", "pending", "banned"):
        person = world["people"][role]
        assert not circles_for_community(viewer=person, community=world["community"]).exists()
        assert not upcoming_meetings_for_community(
            viewer=person, community=world["community"]
        ).exists()
    member = world["people"]["member"]
    assert circles_for_community(viewer=member, community=world["community"]).count() == 1
    assert upcoming_meetings_for_community(viewer=member, community=world["community"]).count() == 4
