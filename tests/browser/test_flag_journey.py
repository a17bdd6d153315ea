import re

import pytest

from communities.models import Post
from tests.communities.factories import PASSWORD, Cast, make_reply, make_thread

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def test_a_member_flags_a_reply_a_moderator_hides_it_the_flagger_sees_the_outcome(page, screenshot):
    cast = Cast()
    thread = make_thread(author=cast.member, community=cast.community)
    reply = make_reply(author=cast.other_member, thread=thread, body="Buy cheap watches here")
    thread_url = f"/c/{cast.community.slug}/t/{thread.pk}/"

    _sign_in(page, cast.member)
    page.goto(thread_url)
    page.locator(f"#post-{reply.pk}").get_by_role("link", name="Flag").click()
    page.get_by_label("Spam").check()
    page.fill("textarea[name=note]", "An advert for watches")
    page.get_by_role("button", name="Send flag").click()
    page.wait_for_url(re.compile(f"/t/{thread.pk}/"))
    assert page.get_by_text("the moderators will look at it").is_visible()

    _sign_in(page, cast.moderator)
    page.goto(f"/c/{cast.community.slug}/moderation/")
    item = page.locator(".moderation-item").first
    assert item.get_by_text("Buy cheap watches here").is_visible()
    assert item.get_by_text("An advert for watches").is_visible()
    item.get_by_label("Action").select_option("hide")
    item.get_by_label(re.compile("^Reason")).fill("Advertising is not allowed here.")
    screenshot("moderation-queue")
    item.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile("/moderation/$"))
    assert page.get_by_text("Nothing is waiting").is_visible()
    assert Post.objects.get(pk=reply.pk).is_hidden

    _sign_in(page, cast.member)
    page.goto("/moderation/outcomes/")
    assert page.get_by_text("Your flag was upheld").is_visible()
    assert page.locator(".flag-list").get_by_text("Upheld").is_visible()
    screenshot("flag-outcome")
    page.goto(thread_url)
    assert page.get_by_text("Buy cheap watches here").count() == 0
