"""A member opens their next digest's HTML and every link in it leads to a page they may open."""

import re

import pytest

from communities.models import Follow, Thread
from tests.communities.digests.factories import circle_of, member_with_expertise
from tests.communities.factories import (
    PASSWORD,
    add_member,
    make_reply,
    make_thread,
    new_community,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def test_every_link_in_the_digest_opens_for_its_member(page, live_server, settings, screenshot):
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # SITE_URL: links are absolute to it
    community = new_community()
    reader = member_with_expertise(community, "facilitation")
    asker, helper = add_member(community), add_member(community)
    busy = make_thread(author=asker, community=community, kind="discussion", title="Check-ins")
    make_reply(author=helper, thread=busy)
    make_thread(
        author=asker, community=community, title="Silent retros?", tag_names=["facilitation"]
    )
    followed = make_thread(author=asker, community=community, title="Dot voting?")
    answer = make_reply(author=helper, thread=followed, body="Yes, timeboxed.")
    Thread.objects.filter(pk=followed.pk).update(accepted_answer=answer)
    Follow.objects.create(user=reader, thread=followed)
    circle_of(community, reader, name="Book circle")

    _sign_in(page, reader)
    page.goto("/digests/preview/")
    assert page.get_by_role("heading", name="Your next digest").is_visible()
    screenshot("digest-preview")
    page.goto("/digests/preview/?format=html")
    for heading in (
        "Most active threads",
        "You could help",
        "Answers in threads you follow",
        "Your upcoming circle meetings",
    ):
        assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator("script").count() == 0
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    assert len(links) >= 6
    for link in links:
        assert link.startswith(live_server.url), link
        response = page.goto(link)
        assert response.status == 200, link
        if "/unsubscribe/" in link:
            assert page.get_by_text("Nothing has changed yet").is_visible()
    reader.refresh_from_db()
    assert reader.digest_frequency == "weekly"  # opening the unsubscribe link changed nothing
