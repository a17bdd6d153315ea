import re

import pytest

from communities.core.models.communities import Visibility
from communities.models import Membership
from tests.communities.factories import PASSWORD, UserFactory, new_community

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def test_a_manager_approves_a_join_request_and_the_member_sees_members_only_content(
    page, browser, live_server, mailoutbox, screenshot
):
    manager = UserFactory(username="maya", display_name="Maya Lindqvist")
    community = new_community(
        manager=manager,
        visibility=Visibility.RESTRICTED,
        name="Clinical educators",
        slug="clinical-educators",
        guidelines="Protect patient privacy. **Never** share identifiable cases.",
    )
    newcomer = UserFactory(username="lee", display_name="Lee Park")

    sign_in(page, newcomer)
    page.get_by_role("link", name="Communities").first.click()
    page.get_by_role("link", name="Clinical educators").click()
    assert page.get_by_text("Never").first.is_visible()
    # The member directory is members-only: no tab leads there, and typing it says so.
    assert page.get_by_role("link", name="Members").count() == 0
    page.goto(f"/c/{community.slug}/members/")
    assert "can't do that" in page.content()  # members only, for now
    page.goto(f"/c/{community.slug}/")
    page.fill("textarea[name=message]", "I teach ward nurses and want to swap ideas.")
    page.get_by_label("I agree to the guidelines").check()
    page.get_by_role("button", name="Ask to join").click()
    assert page.get_by_text("Your request is sent").is_visible()
    assert page.get_by_text("waiting for a manager").first.is_visible()

    manager_context = browser.new_context(base_url=live_server.url)
    manager_page = manager_context.new_page()
    manager_page.set_default_timeout(15_000)
    sign_in(manager_page, manager)
    manager_page.goto(f"/c/{community.slug}/requests/")
    assert manager_page.get_by_text("I teach ward nurses").is_visible()
    manager_page.get_by_label(re.compile("Message to Lee Park")).fill("Welcome aboard!")
    manager_page.get_by_role("button", name="Approve").click()
    assert manager_page.get_by_text("You approved Lee Park's request").is_visible()
    assert manager_page.get_by_text("No one is waiting").is_visible()
    manager_context.close()

    membership = Membership.objects.get(user=newcomer, community=community)
    assert membership.status == "active"
    assert any("approved" in message.body for message in mailoutbox)

    page.goto(f"/c/{community.slug}/")
    assert page.get_by_role("heading", name="Upcoming circle meetings").is_visible()
    assert page.get_by_text("You are a member of this community").is_visible()
    assert screenshot("restricted-community-as-member").stat().st_size > 0
    page.get_by_role("link", name="Members").click()
    page.wait_for_url(re.compile("/members/"))
    assert page.locator("#main").get_by_role("link", name="Lee Park").is_visible()
    assert page.get_by_role("link", name="Maya Lindqvist").is_visible()
    assert screenshot("join-request-approved").stat().st_size > 0
