"""A manager opens a programme, a mentor and a mentee fill their profiles, the manager runs
matching and approves, both accept, the mentee logs a session and a goal's progress, and the
manager's page shows the relationship without its notes."""

import re

import pytest
from playwright.sync_api import expect

from tests.communities.factories import PASSWORD, UserFactory, add_member, new_community

pytestmark = pytest.mark.django_db(transaction=True)

NOTES = "We talked through my fear of breaking production."


def sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def test_a_programme_from_opening_to_a_logged_session(page, screenshot):
    manager = UserFactory(username="jon", display_name="Jon Mensah")
    community = new_community(manager=manager, name="Data Engineering Learners", slug="data")
    mentor = add_member(community, UserFactory(username="amara", display_name="Amara Nwosu"))
    mentee = add_member(community, UserFactory(username="lee", display_name="Lee Park"))

    # The manager opens a programme from the community page.
    sign_in(page, manager)
    page.goto("/c/data/")
    page.get_by_role("link", name="Open a mentoring programme").click()
    page.fill("input[name=name]", "Pipeline mentoring")
    page.fill("textarea[name=purpose]", "Experienced members guide newcomers to data work.")
    page.fill("textarea[name=guide]", "Ask what **success** looks like.")
    page.get_by_role("button", name="Open the programme").click()
    expect(page.get_by_role("heading", name="Pipeline mentoring")).to_be_visible()
    programme_url = page.url

    # A mentor and a mentee fill their profiles.
    sign_in(page, mentor)
    page.goto(programme_url)
    page.get_by_role("link", name="Become a mentor").click()
    page.fill("input[name=topics]", "sql, airflow")
    page.fill("input[name=languages]", "English, Spanish")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your mentor profile is saved.")).to_be_visible()

    sign_in(page, mentee)
    page.goto(programme_url)
    page.get_by_role("link", name="Ask for a mentor").click()
    page.fill("textarea[name=goals]", "Ship my first Airflow DAG.")
    page.fill("input[name=topics]", "airflow")
    page.fill("input[name=languages]", "spanish")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your request is saved.")).to_be_visible()

    # The manager runs matching, reads the reasons and approves.
    sign_in(page, manager)
    page.goto(programme_url)
    page.get_by_role("link", name="Manage the programme").click()
    page.get_by_role("button", name="Run matching").click()
    expect(page.get_by_text("Matching proposed 1 pairs.")).to_be_visible()
    expect(page.get_by_text("1 shared topic: airflow")).to_be_visible()
    expect(page.get_by_text("both speak Spanish")).to_be_visible()
    screenshot("mentoring-proposals")
    page.get_by_role("button", name="Approve Lee Park with Amara Nwosu").click()
    expect(page.get_by_text("Sent to both")).to_be_visible()

    # Both accept, from their "My mentoring" page.
    for person in (mentor, mentee):
        sign_in(page, person)
        page.goto("/mentoring/")
        page.locator(".pending-actions a").first.click()
        page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("You both accepted")).to_be_visible()
    # Both are told on their notifications page too; its link leads back to the pair's page.
    page.goto("/notifications/")
    screenshot("mentoring-notifications")
    page.get_by_role("link", name=re.compile(r"Amara Nwosu and Lee Park .* is active")).click()
    expect(page.get_by_role("heading", name="Amara Nwosu and Lee Park")).to_be_visible()

    # The mentee sets a goal, logs a session and the goal's progress.
    page.get_by_text("Add a goal").click()
    page.fill("input[name=title]", "Ship the nightly DAG")
    page.get_by_role("button", name="Add the goal").click()
    expect(page.get_by_text("Goal added.")).to_be_visible()
    page.get_by_text("Log a session").click()
    page.fill("input[name=minutes]", "45")
    page.fill("textarea[name=notes]", NOTES)
    page.get_by_role("button", name="Log the session").click()
    expect(page.get_by_text("Session logged.")).to_be_visible()
    page.get_by_label("Progress of Ship the nightly DAG").fill("60")
    page.get_by_role("button", name="Save progress").click()
    expect(page.get_by_text("Progress on “Ship the nightly DAG” saved.")).to_be_visible()
    expect(page.get_by_text(NOTES)).to_be_visible()
    screenshot("mentoring-relationship")

    # The manager sees the relationship, its dates and sessions, but not the notes.
    sign_in(page, manager)
    page.goto(programme_url + "manage/")
    row = page.locator("table.relationships tbody tr").first
    expect(row).to_contain_text("Amara Nwosu")
    expect(row).to_contain_text("Lee Park")
    expect(row).to_contain_text("Active")
    expect(page.get_by_text(NOTES)).to_have_count(0)
    expect(page.get_by_text("Ship the nightly DAG")).to_have_count(0)
    screenshot("mentoring-manager")
