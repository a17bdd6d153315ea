import re

import pytest

from communities.models import User
from tests.communities.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_confirm_log_in_and_edit_profile(page, mailoutbox, settings, screenshot):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    page.goto("/")
    page.get_by_role("link", name="Join Trellis").first.click()
    page.fill("input[name=email]", "rosa@example.org")
    page.fill("input[name=username]", "rosa")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign Up", re.I)).click()
    page.wait_for_url(re.compile("/accounts/confirm-email/"))

    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/\S+/)", mailoutbox[0].body)[1]
    page.goto(link)
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()

    page.goto("/accounts/login/")
    page.fill("input[name=login]", "rosa@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto("/settings/profile/")
    page.fill("input[name=display_name]", "Rosa Diaz")
    page.fill("textarea[name=motivation]", "Help new facilitators feel less alone.")
    page.fill("input[name=expertise_names]", "facilitation, coaching")
    page.select_option("select[name=timezone]", "America/Mexico_City")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url(re.compile("/people/rosa/"))
    assert page.get_by_role("heading", name="Rosa Diaz").is_visible()
    assert page.get_by_text("Help new facilitators feel less alone.").is_visible()
    assert screenshot("profile").stat().st_size > 0

    user = User.objects.get(email="rosa@example.org")
    assert user.timezone == "America/Mexico_City"
