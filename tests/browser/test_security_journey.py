"""Finding 8: the Content-Security-Policy holds on the main pages and the Wagtail admin."""

import re

import pytest
from wagtail.models import Page

from tests.communities.factories import (
    PASSWORD,
    UserFactory,
    add_member,
    make_thread,
    new_community,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("wagtail_tree")]

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def watch_violations(page):
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.add_init_script(WATCH)
    return console


def visit(page, url, console):
    response = page.goto(url)
    assert response.status < 500, url
    page.wait_for_load_state("networkidle")
    seen = page.evaluate("window.__cspViolations")
    assert seen == [], (url, seen)
    assert console == [], (url, console)
    return response


def test_no_csp_violations_on_the_main_pages_and_the_admin(page, settings):
    community = new_community()
    author = add_member(community)
    thread = make_thread(author=author, community=community)
    admin = UserFactory(is_staff=True, is_superuser=True)
    console = watch_violations(page)

    response = visit(page, "/", console)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'self'" in policy
    assert "object-src 'none'" in policy
    for url in [
        f"/c/{community.slug}/",
        f"/c/{community.slug}/t/{thread.pk}/",
        "/search/?q=retrospective",
        "/kb/",
        "/accounts/login/",
    ]:
        visit(page, url, console)

    page.fill("input[name=login]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))
    visit(page, "/settings/profile/", console)
    visit(page, "/accounts/2fa/", console)
    visit(page, "/cms/", console)
    editable = Page.objects.filter(depth__gte=2).order_by("depth", "pk").first()
    visit(page, f"/cms/pages/{editable.pk}/edit/", console)
    visit(page, "/cms/pages/", console)
