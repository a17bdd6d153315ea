"""A manager opens the health dashboard, sees the charts and the next actions, follows a
waiting question to its thread, and confirms the stage the engine proposes."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from communities.health.services import propose_stages
from communities.models import LifecycleTransition
from communities.public import Stage
from tests.communities.factories import (
    PASSWORD,
    UserFactory,
    add_member,
    make_thread,
    new_community,
)
from tests.communities.health.factories import backdate, weekly_history

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_reads_the_dashboard_and_confirms_a_proposal(page, settings, screenshot):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    manager = UserFactory(display_name="Maya Manager")
    community = new_community(manager=manager, name="Retro Makers", slug="retro-makers")
    asker = add_member(community)
    question = make_thread(author=asker, community=community, title="How long should a retro last?")
    backdate(question, timezone.now() - dt.timedelta(hours=6))
    today = timezone.now().astimezone(dt.UTC).date()
    weekly_history(community, 24, day=today, active_members=lambda ago: 50 if ago >= 12 else 20)
    propose_stages(community_ids=[community.pk], day=today)

    page.goto("/accounts/login/")
    page.fill("input[name=login]", manager.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto("/c/retro-makers/health/")
    page.get_by_role("heading", name="Retro Makers: health").wait_for()
    page.locator('canvas[data-health-chart="members"][data-drawn]').wait_for()
    assert page.locator("canvas[data-drawn]").count() == 5
    page.get_by_text("The numbers").first.click()
    assert page.get_by_role("table").first.is_visible()
    assert page.get_by_text("Questions waiting over 4 hours").is_visible()
    screenshot("health-dashboard")

    page.get_by_role("link", name="How long should a retro last?").click()
    page.wait_for_url(re.compile(rf"/c/retro-makers/t/{question.pk}/$"))
    page.get_by_role("heading", name="How long should a retro last?").wait_for()

    page.go_back()
    assert page.get_by_text("Proposed: Transformation.").is_visible()
    page.get_by_role("button", name="Confirm: move to Transformation").click()
    page.get_by_text("is now in the Transformation stage").wait_for()
    community.refresh_from_db()
    assert community.stage == Stage.TRANSFORMATION
    step = LifecycleTransition.objects.get(community=community)
    assert "Active members fell" in step.reason

    page.goto("/c/retro-makers/stage/")
    assert page.get_by_text("Active members fell").is_visible()
