"""The main navigation's "My communities" and "Calendar", and a community's grouped tabs."""

import re

import pytest

from communities.models import CircleMeeting, CircleMembership
from tests.communities.factories import add_member, make_circle, new_community

pytestmark = pytest.mark.django_db


def _nav(html: str, label: str) -> str:
    start = html.index(f'aria-label="{label}"')
    return html[start : html.index("</nav>", start)]


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member", "manager", "staff"])
def test_signed_in_people_find_my_communities_and_their_calendar(client, cast, who):
    if cast[who] is not None:
        client.force_login(cast[who])
    nav = _nav(client.get("/c/").content.decode(), "Main")
    signed_in = who != "anonymous"
    assert ('href="/c/?mine=1">My communities<' in nav) is signed_in
    assert ('href="/calendar/">Calendar<' in nav) is signed_in


def test_my_communities_lists_only_where_one_is_an_active_member(client, cast, private_cast):
    add_member(private_cast.community, cast.member)
    other = new_community(name="Not mine")
    client.force_login(cast.member)
    html = client.get("/c/?mine=1").content.decode()
    assert "<h1>My communities</h1>" in html
    assert cast.community.name in html
    assert private_cast.community.name in html
    assert other.name not in html
    client.force_login(cast.outsider)
    html = client.get("/c/?mine=1").content.decode()
    assert "You haven't joined a community yet" in html
    assert cast.community.name not in html
    # Anonymous visitors get the whole directory.
    client.logout()
    assert other.name in client.get("/c/?mine=1").content.decode()


def _groups(html: str, community) -> dict[str, list[str]]:
    nav = _nav(html, community.name)
    groups = {}
    for block in re.findall(r'<div class="subnav__group".*?</div>', nav, re.S):
        label = re.search(r'class="subnav__label"[^>]*>([^<]+)<', block).group(1)
        groups[label] = re.findall(r"<a [^>]*>([^<]+)</a>", block)
    return groups


COMMUNITY = ["About", "Threads", "Circles", "Members"]
MANAGE = ["Requests", "Invitations", "Prompts", "Stage", "Settings"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", {"Community": COMMUNITY}),
        ("member", {"Community": COMMUNITY}),
        ("champion", {"Community": COMMUNITY}),
        ("moderator", {"Community": COMMUNITY, "Moderate": ["Queue"]}),
        ("manager", {"Community": COMMUNITY, "Manage": MANAGE, "Moderate": ["Queue", "Audit log"]}),
        ("staff", {"Community": COMMUNITY, "Manage": MANAGE, "Moderate": ["Queue", "Audit log"]}),
    ],
)
def test_the_community_navigation_groups_tabs_by_role(client, cast, who, expected):
    if cast[who] is not None:
        client.force_login(cast[who])
    html = client.get(f"/c/{cast.community.slug}/").content.decode()
    assert _groups(html, cast.community) == expected


def test_a_restricted_community_shows_outsiders_only_its_about_tab(client, restricted_cast):
    client.force_login(restricted_cast.outsider)
    html = client.get(f"/c/{restricted_cast.community.slug}/").content.decode()
    assert _groups(html, restricted_cast.community) == {"Community": ["About"]}


def test_the_current_tab_is_marked(client, cast):
    client.force_login(cast.manager)
    html = client.get(f"/c/{cast.community.slug}/requests/").content.decode()
    assert re.search(r'aria-current="page">Requests<', _nav(html, cast.community.name))


def test_the_calendar_is_linked_from_the_circle_page_and_each_meeting(client, cast):
    circle = make_circle(cast.community, members=4)
    seated = CircleMembership.objects.filter(circle=circle).select_related("user").first().user
    meeting = CircleMeeting.objects.filter(circle=circle).order_by("starts_at").first()
    client.force_login(seated)
    base = f"/c/{cast.community.slug}/circles/{circle.slug}/"
    calendar_link = 'href="/calendar/">Your calendar</a>'
    assert calendar_link in client.get(base).content.decode()
    assert calendar_link in client.get(f"{base}meetings/{meeting.sequence}/").content.decode()
