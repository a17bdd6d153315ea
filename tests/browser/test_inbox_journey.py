"""Journeys of issue 14: a manager approves a join request from their notifications; a member
typing a question's title sees a similar thread already asked."""

import re

import pytest

from communities.core.services.joining import request_to_join
from communities.models import Membership
from tests.communities.factories import PASSWORD, Cast, UserFactory, make_thread

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def test_a_manager_approves_a_join_request_from_their_notifications(page, screenshot):
    cast = Cast("restricted")
    newcomer = UserFactory(display_name="Ines Newcomer")
    request_to_join(
        user=newcomer,
        community=cast.community,
        message="I facilitate retrospectives every week.",
        agreed_to_guidelines=True,
    )
    _sign_in(page, cast.manager)
    page.goto("/notifications/")
    link = page.get_by_role("link", name=re.compile("Ines Newcomer asks to join"))
    screenshot("manager-inbox")
    link.click()
    page.wait_for_url(re.compile(r"/requests/#request-\d+$"))
    card = page.locator(".join-request", has_text="Ines Newcomer")
    card.get_by_role("button", name="Approve").click()
    page.get_by_text(re.compile("You approved Ines Newcomer")).wait_for()
    assert Membership.objects.get(user=newcomer, community=cast.community).status == "active"


def test_a_member_typing_a_title_sees_a_similar_thread(page, screenshot):
    cast = Cast()
    make_thread(
        author=cast.other_member,
        community=cast.community,
        title="How do you run a retrospective with a remote team?",
    )
    _sign_in(page, cast.member)
    page.goto(f"/c/{cast.community.slug}/t/new/")
    page.locator("input[name=title]").press_sequentially("Remote retrospective ideas", delay=20)
    hint = page.locator("#similar-threads")
    hint.get_by_role("link", name="How do you run a retrospective with a remote team?").wait_for()
    screenshot("similar-threads")
