"""axe-core over the main pages, for the people who see them, on a desktop and a 375 px phone.

axe comes from the npm package (static/vendor/axe-core/, never loaded by normal pages): each
test injects it from the live server, so the site's Content-Security-Policy allows it."""

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from communities.discussions.services.threads import accept_answer
from communities.health.services import propose_stages
from communities.models import Tag
from communities.moderation.services.actions import hide_content
from communities.public import Role
from feedback.services.rounds import advance_phase
from tests.communities.factories import (
    UserFactory,
    add_member,
    flag,
    make_circle,
    make_reply,
    make_thread,
    new_community,
)
from tests.communities.health.factories import weekly_history
from tests.feedback.factories import make_round
from tests.knowledge.factories import article, topic
from tests.mentoring.factories import make_mentee, make_mentor, make_programme

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("wagtail_tree")]

AXE = "/static/vendor/axe-core/axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice"]
# Serious and critical findings fail a page; so does a skipped heading level (axe rates it
# moderate, but screen reader users move through a page by its headings).
BLOCKING_IMPACTS = {"serious", "critical"}
BLOCKING_RULES = {"heading-order"}
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "mobile": {"width": 375, "height": 812},
}

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


def _world() -> SimpleNamespace:
    """One community with everything the main pages show: a solved question with a hidden
    reply, a flag, an active circle, a mentoring programme, a review round, health history,
    and a knowledge article."""
    manager = UserFactory(username="maya", display_name="Maya Manager")
    community = new_community(
        manager=manager, name="Facilitation Practitioners", slug="facilitation"
    )
    community.tags.set([Tag.objects.get_or_create(name="facilitation")[0]])
    asker = add_member(community, UserFactory(username="lee", display_name="Lee Park"))
    asker.expertise.add(Tag.objects.get(name="facilitation"))
    answerer = add_member(community, UserFactory(username="amara", display_name="Amara Nwosu"))
    moderator = add_member(community, UserFactory(username="priya"), role=Role.MODERATOR)

    thread = make_thread(author=asker, community=community, title="How do you run a retrospective?")
    answer = make_reply(author=answerer, thread=thread, body="Start with a **silent** round.")
    make_reply(author=asker, thread=thread, body="Thanks, trying it Tuesday.", parent=answer)
    hidden = make_reply(author=answerer, thread=thread, body="Buy my course!")
    hide_content(actor=moderator, thread=thread, post=hidden, reason="Spam.")
    accept_answer(actor=asker, thread=thread, post=answer)
    other = make_thread(author=answerer, community=community, title="Retrospective formats?")
    flag(asker, other, reason="spam", note="Looks like an advert.")

    circle = make_circle(community, proposer=asker, members=4, name="Retrospective Craft")

    programme = make_programme(community, manager=manager, name="Facilitation mentoring")
    make_mentor(programme, topics=["sql"])
    make_mentee(programme, asker, topics=["sql"])

    round_ = make_round(community, manager, title="Retro write-ups")
    advance_phase(actor=manager, round_=round_)

    today = timezone.now().astimezone(dt.UTC).date()
    weekly_history(community, 8, day=today, active_members=lambda ago: 10 + ago)
    propose_stages(community_ids=[community.pk], day=today)

    kb_topic = topic("Facilitation")
    kb_article = article(kb_topic, title="Running retrospectives", summary="How we run them.")

    return SimpleNamespace(
        manager=manager,
        moderator=moderator,
        member=asker,
        community=community,
        thread=thread,
        circle=circle,
        programme=programme,
        round=round_,
        article_url=kb_article.url,
        staff=UserFactory(is_staff=True),
    )


def _context(browser, live_server, viewport, user=None):
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORTS[viewport])
    context.set_default_timeout(20_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        name = django_settings.SESSION_COOKIE_NAME
        context.add_cookies(
            [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
        )
    return context


def _type_a_question_title(page) -> None:
    """Similar threads appear under the title while a question is typed (HTMX)."""
    page.locator("input[name=title]").press_sequentially("Retrospective ideas", delay=20)
    page.locator("#similar-threads .similar-threads").wait_for()


def _audit(page, live_server, url: str, prepare=None) -> list[dict]:
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, (url, response.status)
    page.wait_for_load_state("networkidle")
    toggle = page.locator("[data-nav-toggle]")
    if toggle.count() and toggle.is_visible():
        # On a phone the navigation hides behind "Menu": open it, so its links are checked too.
        toggle.click()
        page.locator("#site-nav").wait_for(state="visible")
    # What folds away (the health dashboard's tables, edit histories) is checked open.
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    if prepare is not None:
        prepare(page)
    page.add_script_tag(url=live_server.url + AXE)
    return page.evaluate(RUN_AXE, TAGS)


def _check(browser, live_server, viewport, user, urls: list) -> None:
    """Audit each page; an entry is a URL, or a URL and what to do there before the audit."""
    context = _context(browser, live_server, viewport, user)
    page = context.new_page()
    failures = {}
    try:
        for entry in urls:
            url, prepare = entry if isinstance(entry, tuple) else (entry, None)
            name = url if prepare is None else f"{url} ({prepare.__name__})"
            violations = _audit(page, live_server, url, prepare)
            for violation in violations:
                if violation["impact"] not in BLOCKING_IMPACTS | {None}:
                    print(f"[{viewport}] {name} {violation['impact']}: {violation['id']}")
            blocking = [
                v
                for v in violations
                if v["impact"] in BLOCKING_IMPACTS or v["id"] in BLOCKING_RULES
            ]
            if blocking:
                failures[name] = blocking
    finally:
        context.close()
    assert not failures, json.dumps(failures, indent=1)


def test_pages_anyone_sees(browser, live_server, viewport):
    world = _world()
    slug = world.community.slug
    _check(
        browser,
        live_server,
        viewport,
        None,
        [
            "/",
            "/accounts/login/",
            "/accounts/signup/",
            "/c/",
            f"/c/{slug}/",
            f"/c/{slug}/t/{world.thread.pk}/",
            f"/c/{slug}/circles/{world.circle.slug}/",
            "/search/?q=retrospective",
            "/tags/facilitation/",
            "/kb/",
            world.article_url,
        ],
    )


def test_pages_a_member_sees(browser, live_server, viewport):
    world = _world()
    slug = world.community.slug
    _check(
        browser,
        live_server,
        viewport,
        world.member,
        [
            "/",
            f"/c/{slug}/",
            f"/c/{slug}/t/{world.thread.pk}/",
            f"/c/{slug}/t/new/",
            (f"/c/{slug}/t/new/", _type_a_question_title),
            f"/c/{slug}/t/",
            f"/c/{slug}/circles/",
            f"/c/{slug}/circles/{world.circle.slug}/",
            f"/c/{slug}/circles/{world.circle.slug}/meetings/1/",
            "/calendar/",
            "/search/?q=retrospective",
            "/notifications/",
            f"/people/{world.member.username}/",
            "/settings/profile/",
            "/tags/facilitation/",
            f"/c/{slug}/members/",
            f"/mentoring/p/{world.programme.pk}/",
            "/mentoring/",
            f"/reviews/rounds/{world.round.pk}/",
            "/reviews/",
        ],
    )


def test_pages_a_manager_sees(browser, live_server, viewport):
    world = _world()
    slug = world.community.slug
    _check(
        browser,
        live_server,
        viewport,
        world.manager,
        [
            "/",
            f"/c/{slug}/",
            f"/c/{slug}/t/{world.thread.pk}/",
            f"/c/{slug}/moderation/",
            f"/c/{slug}/audit/",
            f"/c/{slug}/health/",
            f"/c/{slug}/members/",
            f"/c/{slug}/requests/",
            f"/c/{slug}/invitations/",
            f"/mentoring/p/{world.programme.pk}/",
            f"/mentoring/p/{world.programme.pk}/manage/",
            f"/reviews/rounds/{world.round.pk}/",
            f"/reviews/rounds/{world.round.pk}/overview/",
        ],
    )


def test_pages_a_moderator_sees(browser, live_server, viewport):
    world = _world()
    slug = world.community.slug
    _check(
        browser,
        live_server,
        viewport,
        world.moderator,
        [f"/c/{slug}/t/{world.thread.pk}/", f"/c/{slug}/moderation/", f"/c/{slug}/audit/"],
    )


def test_pages_staff_see(browser, live_server, viewport):
    world = _world()
    _check(
        browser,
        live_server,
        viewport,
        world.staff,
        ["/", "/health/", f"/c/{world.community.slug}/"],
    )
