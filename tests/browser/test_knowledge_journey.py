"""Knowledge base journeys in Chromium, and the XSS corpus harvested into an article."""

import re

import pytest

from communities.services.threads import accept_answer
from communities.services.votes import vote
from knowledge.models import ArticlePage
from knowledge.services import harvest_thread
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_xss_corpus import FLAG, PAYLOADS
from tests.communities.factories import (
    PASSWORD,
    add_member,
    make_reply,
    make_thread,
    manager_of,
    new_community,
)
from tests.communities.factories_discussions import FAST_HASHERS

# The data migrations' rows (knowledge home, editors, workflow) come back for every test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def signed_in(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))
    return context, page


def test_the_xss_corpus_harvested_into_an_article_runs_nothing(page, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    community = new_community(name="Security", slug="security")
    asker, answerer = add_member(community), add_member(community)
    corpus = "\n\n".join(PAYLOADS)
    thread = make_thread(
        author=asker,
        community=community,
        title=f"<script>{FLAG}</script> title",
        body=corpus,
        tag_names=[],
    )
    answer = make_reply(author=answerer, thread=thread, body=corpus)
    accept_answer(actor=asker, thread=thread, post=answer)
    for payload in PAYLOADS[:5]:
        post = make_reply(author=add_member(community), thread=thread, body=payload)
        vote(voter=asker, post=post)
    article = harvest_thread(thread, by=manager_of(community))
    ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish()
    article = ArticlePage.objects.get(pk=article.pk)

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(article.url)
    page.wait_for_load_state("networkidle")
    page.evaluate(
        """() => document.querySelectorAll('.article *').forEach((el) => {
            for (const type of ['mouseover', 'mouseenter', 'focus', 'toggle', 'animationstart']) {
                el.dispatchEvent(new Event(type));
            }
        })"""
    )
    page.wait_for_timeout(500)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "knowledge_xss_corpus.png"), full_page=True)

    assert page.locator(".block-excerpt").count() >= 3
    assert dialogs == []
    assert page.evaluate("() => window.__xss") is None
    leftovers = page.evaluate(
        """() => [...document.querySelectorAll('.article *')].flatMap((el) =>
            [...el.attributes].filter((a) => a.name.startsWith('on') || a.name === 'srcdoc')
              .map((a) => el.tagName + ' ' + a.name))"""
    )
    assert leftovers == []
    assert (
        page.locator(".article script, .article iframe, .article svg, .article object").count() == 0
    )
    hrefs = page.evaluate(
        "() => [...document.querySelectorAll('.article a')].map((a) => a.getAttribute('href'))"
    )
    assert hrefs
    for href in hrefs:
        assert not (href or "").strip().lower().startswith(("javascript", "data", "vbscript"))
