"""A newcomer's home: suggestions by their expertise and a checklist, then, once they have
joined a community and a circle, their next meeting in their own timezone."""

import re
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import CircleMeeting, Membership, Tag
from tests.communities.factories import (
    PASSWORD,
    UserFactory,
    make_circle,
    new_community,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _community(name: str, slug: str, tags: list[str]):
    community = new_community(name=name, slug=slug, purpose=f"{name} share what works.")
    community.tags.set([Tag.objects.get_or_create(name=tag)[0] for tag in tags])
    return community


def test_a_newcomer_is_guided_from_suggestions_to_their_next_meeting(page, screenshot):
    facilitation = _community("Facilitation Practitioners", "facilitation", ["facilitation"])
    _community("Data Engineering", "data", ["data"])
    _community("Gardeners", "gardeners", ["plants"])
    _community("Bakers", "bakers", ["bread"])
    circle = make_circle(
        facilitation, members=4, name="Retrospective Craft", timezone_name="Europe/Berlin"
    )
    newcomer = UserFactory(username="rosa", display_name="Rosa Diaz", bio="")
    newcomer.timezone = "America/Los_Angeles"
    newcomer.save(update_fields=["timezone"])
    newcomer.expertise.add(Tag.objects.get(name="facilitation"))

    page.goto("/accounts/login/")
    page.fill("input[name=login]", newcomer.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))

    # Three suggestions, the one sharing their expertise first, and an unticked checklist.
    suggestions = page.locator(".suggestion h3")
    expect(suggestions).to_have_count(3)
    expect(suggestions.first).to_have_text("Facilitation Practitioners")
    checklist = page.locator(".checklist")
    expect(checklist.get_by_role("link", name="Join a community")).to_be_visible()
    expect(checklist.get_by_role("link", name="Complete your profile")).to_be_visible()
    screenshot("home-newcomer")

    # Join the suggested community, then take a seat in its circle.
    suggestions.first.get_by_role("link").click()
    page.get_by_label("I agree to the guidelines").check()
    page.get_by_role("button", name="Join Facilitation Practitioners").click()
    expect(page.get_by_text(re.compile("welcome|you joined|you are a", re.I)).first).to_be_visible()
    assert Membership.objects.get(user=newcomer, community=facilitation).status == "active"
    page.goto("/c/facilitation/circles/")
    page.get_by_role("link", name="Retrospective Craft").click()
    page.get_by_role("button", name="Join this circle").click()
    expect(page.get_by_text("You have joined Retrospective Craft.")).to_be_visible()

    # Home again: the checklist ticked itself, the suggestions made way for their communities,
    # and the next meeting is shown in Los Angeles time.
    page.get_by_role("link", name="Trellis").first.click()
    page.wait_for_url(re.compile(r"/$"))
    expect(checklist.locator(".checklist__step--done")).to_contain_text("Join a community")
    expect(page.locator(".suggestion")).to_have_count(0)
    expect(page.locator(".my-communities")).to_contain_text("Facilitation Practitioners")
    meeting = (
        CircleMeeting.objects.filter(circle=circle, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
    local = meeting.starts_at.astimezone(zoneinfo.ZoneInfo("America/Los_Angeles"))
    first = page.locator(".home-meeting").first
    expect(first).to_contain_text(f"{local:%H:%M}")
    expect(first).to_contain_text(f"{local:%H:%M} your time (America/Los_Angeles)")
    expect(first).to_contain_text("Retrospective Craft")
    expect(page.get_by_role("link", name="Calendar").first).to_be_visible()
    screenshot("home-member")
