"""A member mutes one of their circles from its page and finds it listed on the community
page; an empty preview reads as quiet words until something is typed."""

import re

import pytest
from playwright.sync_api import expect

from tests.communities.factories import PASSWORD, CommunityFactory, make_circle, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def test_a_member_mutes_a_circle_and_sees_it_on_the_community_page(page, screenshot):
    community = CommunityFactory(name="Facilitators", slug="facilitators")
    circle = make_circle(community, members=1, capacity=6, name="Workshop craft")
    rosa = make_member(community)
    circle.memberships.create(user=rosa)
    _sign_in(page, rosa)

    page.goto("/c/facilitators/circles/workshop-craft/")
    section = page.locator("section", has_text="Your notifications from this circle")
    expect(section.get_by_label(re.compile("As for Facilitators"))).to_be_checked()
    section.get_by_label("Mute").check()
    section.get_by_role("button", name="Save").click()
    expect(page.get_by_text("From Workshop craft you now get: mute.")).to_be_visible()
    screenshot("circle-notification-setting")

    page.goto("/c/facilitators/")
    mine = page.locator("ul.circle-levels")
    expect(mine).to_contain_text("Workshop craft: mute")


def test_an_empty_preview_is_quiet_until_something_is_typed(page):
    community = CommunityFactory(name="Facilitators", slug="facilitators")
    rosa = make_member(community)
    _sign_in(page, rosa)
    page.goto("/c/facilitators/t/new/")
    out = page.locator(".markdown-preview__out").first
    expect(out).to_have_text("Nothing to preview yet.")
    assert out.evaluate("el => getComputedStyle(el).borderTopStyle") == "none"
    page.locator("textarea[name=body]").fill("**Bold** idea")
    expect(out.locator("strong")).to_have_text("Bold")
    page.locator("textarea[name=body]").fill("")
    expect(out).to_have_text("Nothing to preview yet.")
