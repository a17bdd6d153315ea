"""Peer review, end to end in a real browser: an owner builds a rubric and opens a round,
three members submit, each reviews two others after calibration, an author reads the
medians, revises with a reflection, and sees the re-review's change."""

import re

import pytest
from playwright.sync_api import expect

from feedback.models import Round, Submission
from tests.communities.factories import PASSWORD, UserFactory, add_member, new_community

pytestmark = pytest.mark.django_db(transaction=True)

SPEC = """# Clarity | Can a reader follow it?
- 0 | Unclear | Hard to follow
- 2 | Clear | Easy to follow
# Evidence | Are claims backed up?
- 0 | None | No examples
- 3 | Strong | Concrete examples
"""


def sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def end_phase(page, round_pk):
    page.goto(f"/reviews/rounds/{round_pk}/")
    page.get_by_role("button", name=re.compile("Open the round|End this phase")).click()
    expect(page.get_by_text(re.compile("The round is now in its"))).to_be_visible()


def score(page, clarity, evidence):
    page.get_by_label(clarity, exact=True).check()
    page.get_by_label(evidence, exact=True).check()


def test_owner_round_three_members_review_revise_and_see_the_change(page, screenshot, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    owner = UserFactory(username="owner")
    community = new_community(manager=owner, slug="writers", name="Writers")
    members = [add_member(community, UserFactory(username=n)) for n in ("ana", "ben", "cai")]

    # The owner builds a rubric and a round, adds a calibration example, opens it.
    sign_in(page, owner)
    page.goto("/reviews/c/writers/rubrics/new/")
    page.fill("input[name=title]", "Essay rubric")
    page.fill("textarea[name=spec]", SPEC)
    page.get_by_role("button", name="Save rubric").click()
    expect(page.get_by_role("heading", name=re.compile("Essay rubric"))).to_be_visible()
    page.goto("/reviews/c/writers/rounds/new/")
    page.fill("input[name=title]", "First essays")
    page.fill("textarea[name=instructions]", "Write **one page** about a habit you changed.")
    page.select_option("select[name=rubric]", label="Essay rubric (v1)")
    page.get_by_role("button", name="Save round").click()
    expect(page.get_by_role("heading", name="First essays")).to_be_visible()
    round_pk = Round.objects.get().pk
    page.get_by_role("link", name="Add a calibration example").click()
    page.fill("textarea[name=body]", "I changed a habit. It was good.")
    score(page, "Unclear (0) Hard to follow", "None (0) No examples")
    page.get_by_role("button", name="Save example").click()
    end_phase(page, round_pk)

    # Three members submit.
    for member in members:
        sign_in(page, member)
        page.goto(f"/reviews/rounds/{round_pk}/")
        page.get_by_role("link", name="Submit your work").click()
        page.fill("textarea[name=body]", f"{member.username} wrote about waking early.")
        page.get_by_role("button", name="Submit").click()
        expect(page.get_by_text("Your submission is in.")).to_be_visible()

    sign_in(page, owner)
    end_phase(page, round_pk)

    # Each reviews two others after calibrating.
    for member in members:
        sign_in(page, member)
        page.goto("/reviews/")
        page.locator("[data-queue] td:nth-child(2) a").first.click()
        expect(page.get_by_role("heading", name="Calibrate before you review")).to_be_visible()
        score(page, "Clear (2) Easy to follow", "None (0) No examples")
        page.get_by_role("button", name="Check my scores").click()
        expect(page.locator("[data-differences]")).to_contain_text("Clarity")
        score(page, "Unclear (0) Hard to follow", "None (0) No examples")
        page.get_by_role("button", name="Check my scores").click()
        expect(page.get_by_text("Calibration done.")).to_be_visible()
        for _ in range(2):
            page.goto("/reviews/")
            row = page.locator("[data-queue] tr", has_text="Not started").first
            row.locator("td:nth-child(2) a").click()
            expect(
                page.get_by_role("heading", name=re.compile("Review of Submission"))
            ).to_be_visible()
            score(page, "Unclear (0) Hard to follow", "Strong (3) Concrete examples")
            page.fill("textarea[name=strengths]", "A vivid opening")
            page.fill("textarea[name=improvements]", "Say what changed")
            page.get_by_role("button", name="Submit review").click()
            expect(page.get_by_text("Review submitted.")).to_be_visible()

    sign_in(page, owner)
    end_phase(page, round_pk)

    # The author reads the medians and revises with a reflection.
    author = members[0]
    submission = Submission.objects.get(author=author)
    sign_in(page, author)
    page.goto(f"/reviews/rounds/{round_pk}/")
    page.get_by_role("link", name="See your results").click()
    expect(page.locator("[data-total]")).to_have_text("3")
    expect(page.get_by_text("A vivid opening").first).to_be_visible()
    screenshot("feedback-results")
    page.get_by_role("link", name="Revise with a reflection").click()
    page.fill("textarea[name=body]", "ana wrote about waking early.\n\nIt changed my mornings.")
    page.fill("textarea[name=reflection]", "Both reviewers asked what changed, so I said it.")
    page.get_by_role("button", name="Save revision").click()
    expect(page.get_by_text("Your revision and reflection are saved.")).to_be_visible()

    sign_in(page, owner)
    end_phase(page, round_pk)

    # Both reviewers see what changed and score again.
    for member in members[1:]:
        sign_in(page, member)
        page.goto("/reviews/")
        page.locator("[data-queue] tr", has_text="Re-review").locator("td:nth-child(2) a").click()
        expect(page.locator(".diff")).to_contain_text("It changed my mornings.")
        score(page, "Clear (2) Easy to follow", "Strong (3) Concrete examples")
        page.fill("textarea[name=strengths]", "Now it says what changed")
        page.fill("textarea[name=improvements]", "Trim the ending")
        page.get_by_role("button", name="Submit review").click()
        expect(page.get_by_text("Review submitted.")).to_be_visible()

    sign_in(page, author)
    page.goto(f"/reviews/submissions/{submission.pk}/results/")
    expect(page.locator("[data-change]").first).to_have_text("+2")
    screenshot("feedback-rereview-change")
