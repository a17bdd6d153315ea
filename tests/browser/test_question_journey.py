import re

import pytest

from communities.core.models.communities import Role
from communities.models import Thread
from tests.browser.conftest import SCREENSHOTS
from tests.communities.factories import PASSWORD, CommunityFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def _signed_in(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))
    return context, page


def test_anonymous_question_answered_accepted_and_verified(browser, live_server, settings):
    community = CommunityFactory(name="Facilitators", slug="facilitators")
    asker = make_member(
        community, UserFactory(display_name="Hidden Heron", username="hidden_heron")
    )
    answerer = make_member(community, UserFactory(display_name="Ada Answer"))
    moderator = make_member(community, UserFactory(display_name="Mo Derator"), role=Role.MODERATOR)

    asker_context, asker_page = _signed_in(browser, live_server, asker)
    asker_page.goto("/c/facilitators/t/new/")
    asker_page.select_option("select[name=kind]", "question")
    asker_page.fill("input[name=title]", "How do I handle silence in a session?")
    asker_page.fill("textarea[name=body]", "Nobody speaks after my **first** question.")
    asker_page.locator(".markdown-preview__out strong").wait_for()  # the live preview
    asker_page.fill("input[name=tag_names]", "facilitation")
    asker_page.check("input[name=is_anonymous]")
    asker_page.get_by_role("button", name="Post thread").click()
    asker_page.wait_for_url(re.compile(r"/c/facilitators/t/\d+/$"))
    thread = Thread.objects.get()
    assert thread.is_anonymous
    assert asker_page.get_by_text("everyone else sees “Anonymous member”").is_visible()

    answer_context, answer_page = _signed_in(browser, live_server, answerer)
    answer_page.goto(f"/c/facilitators/t/{thread.pk}/")
    assert answer_page.locator(".author--anonymous").first.is_visible()
    assert "Hidden Heron" not in answer_page.content()
    assert "hidden_heron" not in answer_page.content()
    answer_page.fill("textarea[name=body]", "Count to ten in your head before speaking again.")
    answer_page.get_by_role("button", name="Post answer").click()
    answer_page.wait_for_url(re.compile(r"#post-\d+$"))

    asker_page.reload()
    asker_page.get_by_role("button", name="Accept this answer").click()
    asker_page.get_by_text("You accepted this answer.").wait_for()
    assert asker_page.get_by_text("✓ Accepted answer").is_visible()

    mod_context, mod_page = _signed_in(browser, live_server, moderator)
    mod_page.goto(f"/c/facilitators/t/{thread.pk}/")
    mod_page.get_by_role("button", name="Mark as verified").click()
    mod_page.get_by_text("Marked as the verified answer.").wait_for()
    assert mod_page.get_by_text("★ Verified answer").is_visible()
    assert mod_page.get_by_text("✓ Accepted answer").is_visible()
    content = mod_page.content()
    assert "Hidden Heron" not in content
    assert "hidden_heron" not in content
    SCREENSHOTS.mkdir(exist_ok=True)
    mod_page.screenshot(path=str(SCREENSHOTS / "question_verified.png"), full_page=True)
    mod_page.goto("/c/facilitators/t/")
    assert mod_page.locator(".status--accepted").first.is_visible()
    mod_page.screenshot(path=str(SCREENSHOTS / "question_list.png"), full_page=True)

    thread.refresh_from_db()
    assert thread.accepted_answer_id == thread.verified_answer_id is not None
    for context in (asker_context, answer_context, mod_context):
        context.close()
