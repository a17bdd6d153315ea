"""Knowledge base journeys in Chromium, and the XSS corpus harvested into an article."""

import re

import pytest

from communities.discussions.services.threads import accept_answer
from communities.discussions.services.votes import vote
from knowledge.models import ArticlePage
from knowledge.services import harvest_thread
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_xss_corpus import FLAG, PAYLOADS
from tests.communities.factories import (
    PASSWORD,
    UserFactory,
    add_member,
    make_reply,
    make_thread,
    manager_of,
    new_community,
)

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _tree(wagtail_tree):
    """The knowledge home, its editors and workflow, back after earlier flushes."""


def signed_in(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    _sign_in(page, user)
    return context, page


def _sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


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
    # The same corpus as a circle meeting's notes, harvested into a lesson learned.
    from tests.knowledge.factories import circle_lesson

    lesson = circle_lesson(community, asker, answerer, notes=corpus)

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _assert_nothing_runs(page, article, dialogs)
    # The lesson is the circle's alone: read it as one of its members.
    _sign_in(page, asker)
    _assert_nothing_runs(page, lesson, dialogs)


def _assert_nothing_runs(page, article, dialogs):
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
    page.screenshot(
        path=str(SCREENSHOTS / f"knowledge_xss_{article.slug[:20]}.png"), full_page=True
    )

    assert page.locator(".block-excerpt").count() >= 1
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


def test_harvest_edit_approve_find_and_mark_helpful(browser, live_server, settings):
    from wagtail.models import WorkflowState

    from tests.knowledge.factories import make_editor, solved_thread

    settings.PASSWORD_HASHERS = FAST_HASHERS
    community = new_community(name="Facilitators", slug="facilitators")
    manager = manager_of(community)
    thread = solved_thread(community)
    editor = make_editor(display_name="Edie Editor")
    member = add_member(community, UserFactory(display_name="Mia Member"))

    # A manager harvests the solved thread.
    context, page = signed_in(browser, live_server, manager)
    page.goto(f"/c/facilitators/t/{thread.pk}/")
    page.get_by_role("button", name="Harvest to knowledge base").click()
    # Managers edit their own community's drafts in the Wagtail admin: they land on it.
    page.wait_for_url(re.compile(r"/cms/pages/\d+/edit/"))
    draft = ArticlePage.objects.get()
    assert not draft.live
    page.fill("textarea[name=summary]", "Open with a silent round.")
    with page.expect_navigation():
        page.locator("button.action-save").first.evaluate("button => button.click()")
    page.wait_for_load_state("networkidle")
    latest = ArticlePage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    assert latest.summary == "Open with a silent round."
    assert not ArticlePage.objects.get(pk=draft.pk).live
    context.close()

    # An editor finishes the draft in the Wagtail admin and sends it through the workflow.
    context, page = signed_in(browser, live_server, editor)
    page.goto(f"/cms/pages/{draft.pk}/edit/")
    page.fill("textarea[name=summary]", "Open with a silent round, then pairs.")
    with page.expect_navigation():
        page.locator("button[name=action-submit]").evaluate("button => button.click()")
    page.wait_for_load_state("networkidle")
    assert WorkflowState.objects.filter(object_id=str(draft.pk), status="in_progress").exists()
    page.goto(f"/cms/pages/{draft.pk}/edit/")
    page.wait_for_load_state("networkidle")
    with page.expect_navigation():
        page.locator("button[data-workflow-action-name=approve]").first.evaluate(
            "button => button.click()"
        )
    page.wait_for_load_state("networkidle")
    assert ArticlePage.objects.get(pk=draft.pk).live
    article = ArticlePage.objects.get(pk=draft.pk)
    assert article.summary == "Open with a silent round, then pairs."
    page.screenshot(path=str(SCREENSHOTS / "knowledge_approved.png"), full_page=True)
    context.close()

    # A member finds it through the one search and says it helped.
    context, page = signed_in(browser, live_server, member)
    page.goto("/search/?q=retrospective")
    results = page.locator(".search-results > li")
    # Articles and threads in one list; the article says what it is.
    first = results.first
    assert "Article" in first.inner_text()
    first.get_by_role("link", name=article.title).click()
    page.wait_for_url(f"**{article.url}")
    page.fill("textarea[name=note]", "Worked with my team on Monday.")
    page.get_by_role("button", name="Yes, it helped").click()
    page.get_by_text("Thank you").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "knowledge_helpful.png"), full_page=True)
    assert ArticlePage.objects.get(pk=article.pk).helpful_count == 1
    context.close()


def test_an_owner_works_the_audit_queue(browser, live_server, settings):
    import datetime

    from django.utils import timezone

    from tests.knowledge.factories import article, make_editor, topic

    settings.PASSWORD_HASHERS = FAST_HASHERS
    owner = make_editor(display_name="Olive Owner")
    stale = article(topic(), owner=owner, title="Timebox every agenda item")
    kept = article(topic("Remote"), owner=owner, title="Async standups in five timezones")
    ArticlePage.objects.update(review_on=timezone.localdate() - datetime.timedelta(days=10))

    context, page = signed_in(browser, live_server, owner)
    page.goto("/cms/knowledge/needs-review/")
    row = page.locator("tr", has_text=stale.title)
    row.get_by_role("button", name="Verify as still right").click()
    page.get_by_text("is verified as still right").wait_for()
    other = page.locator("tr", has_text=kept.title)
    other.get_by_role("button", name="Mark obsolete").click()
    page.get_by_text("is marked obsolete").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "knowledge_audit_queue.png"), full_page=True)
    assert page.get_by_text("Nothing needs review").is_visible()
    assert ArticlePage.objects.get(pk=stale.pk).review_on > timezone.localdate()
    assert ArticlePage.objects.get(pk=kept.pk).is_obsolete
    context.close()
