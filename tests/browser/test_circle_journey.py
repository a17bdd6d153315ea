import re

import pytest
from playwright.sync_api import expect

from tests.communities.factories import PASSWORD, CommunityFactory, make_circle, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_joins_a_circle_and_sees_the_next_meeting_with_their_role(page, screenshot):
    community = CommunityFactory(name="Facilitators", slug="facilitators")
    make_circle(community, members=3, capacity=6, name="Workshop craft")
    rosa = make_member(community)

    page.goto("/accounts/login/")
    page.fill("input[name=login]", rosa.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto("/c/facilitators/circles/")
    page.get_by_role("link", name="Workshop craft").click()
    page.get_by_role("button", name="Join this circle").click()
    expect(page.get_by_text("You have joined Workshop craft.")).to_be_visible()
    # The fourth member: the circle is active and its first meetings are planned.
    page.locator(".meeting-list").get_by_role("link", name=re.compile(r"^Meeting 1 ")).click()
    page.wait_for_url(re.compile(r"/meetings/1/$"))
    expect(page.get_by_role("heading", name="Meeting 1")).to_be_visible()
    expect(page.get_by_role("heading", name="Agenda")).to_be_visible()
    page.get_by_role("button", name="Yes, I'll come").click()
    expect(page.get_by_text("You said:")).to_be_visible()
    screenshot("circle-meeting")

    page.goto("/calendar/")
    expect(page.get_by_role("heading", name=re.compile("calendar"))).to_be_visible()
    # Somewhere in the next four meetings Rosa holds a role, and the calendar says which.
    expect(page.locator(".meeting-list .badge").first).to_be_visible()
