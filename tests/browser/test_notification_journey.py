import re

import pytest

from tests.communities.factories import PASSWORD, Cast, make_reply, make_thread

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def test_follow_a_thread_hear_of_a_mention_and_open_the_exact_reply(page, screenshot):
    cast = Cast()
    thread = make_thread(author=cast.member, community=cast.community)
    _sign_in(page, cast.champion)
    page.goto(f"/c/{cast.community.slug}/t/{thread.pk}/")
    page.get_by_role("button", name="Follow thread").click()
    page.get_by_role("button", name=re.compile("Following thread")).wait_for()

    make_reply(author=cast.other_member, thread=thread, body="A first answer.")
    post = make_reply(
        author=cast.other_member,
        thread=thread,
        body=f"@{cast.champion.username} you ran one of these last week?",
    )
    page.goto("/")
    badge = page.locator("[data-unread-count]")
    assert badge.inner_text() == "2"
    page.get_by_role("link", name=re.compile("Notifications")).click()
    page.wait_for_url(re.compile("/notifications/"))
    assert page.get_by_text("mentioned you in").is_visible()
    screenshot("notifications")

    page.get_by_role("button", name="Mark as read").first.click()
    page.get_by_text("Read", exact=True).wait_for()
    page.get_by_role("link", name=thread.title).first.click()
    page.wait_for_url(re.compile(rf"/t/{thread.pk}/#post-{post.pk}$"))
    page.goto("/notifications/")
    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_url(re.compile("/notifications/"))
    assert page.locator("[data-unread-count]").count() == 0


def test_a_manager_writes_a_prompt_from_a_template_and_publishes_it(page, screenshot):
    cast = Cast()
    _sign_in(page, cast.manager)
    page.goto(f"/c/{cast.community.slug}/t/")
    page.get_by_role("link", name="Prompts").click()
    page.get_by_role("link", name="Reflective").click()
    assert page.input_value("input[name=title]") == "Looking back on…"
    page.fill("input[name=title]", "Looking back on our first quarter")
    body = page.input_value("textarea[name=body]")
    page.fill("textarea[name=body]", body.replace("**…**", "**our first quarter together**"))
    page.fill("input[name=publish_at]", "2099-01-05T09:30")
    page.get_by_role("button", name="Publish or schedule").click()
    assert page.get_by_text("Schedule prompts at most a year ahead.").is_visible()
    page.fill("input[name=publish_at]", "")
    page.get_by_role("button", name="Publish or schedule").click()
    page.get_by_text("Your prompt is published as a thread.").wait_for()
    page.get_by_role("link", name="Looking back on our first quarter").click()
    page.get_by_role("heading", name="Looking back on our first quarter").wait_for()
    assert page.get_by_text("Prompt", exact=True).first.is_visible()
    assert page.get_by_text("our first quarter together").is_visible()
    screenshot("prompt-thread")
