import importlib
import os
from pathlib import Path

import pytest

from tests import services

SCREENSHOTS = Path(__file__).parent / "screenshots"

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    problem = services.browser_problem()
    if problem:
        if services.browser_required():
            pytest.fail(f"REQUIRE_BROWSER=1 but the browser tests cannot run: {problem}")
        pytest.skip(f"browser tests need Chromium: {problem}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=services.CHROMIUM_PATH,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def wagtail_tree(transactional_db):
    """Earlier transactional tests flush the tables, data migrations' rows included: bring
    back Wagtail's root, the knowledge home, the editors' group and the review workflow."""
    from django.apps import apps
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code="en")
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(title="Root", slug="root", locale=Locale.objects.get(language_code="en"))
    home_migration = importlib.import_module("knowledge.migrations.0002_create_knowledge_home")
    home_migration.create_knowledge_home(apps, None)
    editors = importlib.import_module("knowledge.migrations.0004_editors_and_review_workflow")
    editors.create_editors_and_workflow(apps, None)
