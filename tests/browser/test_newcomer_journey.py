import re

import pytest
from playwright.sync_api import expect

from communities.circles.services.circles import join_circle
from communities.core.services.membership import join_open_community
from communities.models import CircleMembership, Membership
from tests.communities.factories import PASSWORD, UserFactory, circle_fields, new_community

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_newcomer_finds_joins_takes_a_circle_seat_and_sees_their_next_role(page, screenshot):
    manager = UserFactory(username="maya", display_name="Maya Lindqvist")
    community = new_community(
        manager=manager,
        name="Facilitation Practitioners",
        slug="facilitation",
        purpose="Practitioners share the formats that work.",
        guidelines="Share the **context** of your question. Critique formats, not people.",
    )
    from communities.circles.services.circles import propose_circle

    circle = propose_circle(
        actor=manager, community=community, **circle_fields(name="Retrospective Craft")
    )
    for handle in ("priya", "tomas"):
        person = UserFactory(username=handle)
        join_open_community(user=person, community=community, agreed_to_guidelines=True)
        join_circle(user=person, circle=circle)
    newcomer = UserFactory(username="rosa", display_name="Rosa Diaz")

    page.goto("/accounts/login/")
    page.fill("input[name=login]", newcomer.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))

    # Find the community in the directory.
    page.get_by_role("link", name="Communities").first.click()
    page.fill("input[name=q]", "facilitation")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Facilitation Practitioners").click()

    # Read the guidelines; joining without agreeing is refused with a clear message.
    expect(page.get_by_text("Critique formats, not people.").first).to_be_visible()
    page.get_by_role("button", name="Join Facilitation Practitioners").click()
    expect(page.get_by_text(re.compile("agree", re.I)).first).to_be_visible()
    assert not Membership.objects.filter(user=newcomer, status="active").exists()
    page.get_by_label("I agree to the guidelines").check()
    page.get_by_role("button", name="Join Facilitation Practitioners").click()
    expect(
        page.get_by_text(re.compile("welcome|you joined|you are a member", re.I)).first
    ).to_be_visible()
    membership = Membership.objects.get(user=newcomer, community=community)
    assert membership.status == "active"
    assert membership.agreed_guidelines_version == community.guidelines_version
    assert membership.agreed_to_guidelines_at is not None

    # Take the fourth seat of a circle: it becomes active and plans its meetings.
    page.goto("/c/facilitation/circles/")
    page.get_by_role("link", name="Retrospective Craft").click()
    page.get_by_role("button", name="Join this circle").click()
    expect(page.get_by_text("You have joined Retrospective Craft.")).to_be_visible()
    assert CircleMembership.objects.filter(circle=circle, user=newcomer).exists()

    box = page.locator(".circle__my-next")
    expect(box.get_by_role("heading", name="Your next meeting")).to_be_visible()
    expect(box.get_by_role("link", name=re.compile(r"^Meeting 1 "))).to_be_visible()
    expect(box.locator(".my-role")).to_contain_text(
        re.compile(r"You are the (facilitator|timekeeper|note-taker)")
    )
    screenshot("newcomer-circle")
