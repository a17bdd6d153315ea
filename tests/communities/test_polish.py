"""Small things a person notices: the favicon, Markdown bios, the product's own words on the
account pages, a quiet `seed_demo`, `make demo PORT=`, and refusals logged without noise."""

import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

from tests.communities.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_page_links_the_favicon(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert finders.find("img/favicon.svg")


@pytest.mark.django_db
def test_a_bio_is_rendered_as_sanitised_markdown(client):
    person = UserFactory(
        bio="I run **retrospectives**.\n\n- one\n- two\n\n<script>alert(1)</script>"
        " [click](javascript:alert(1))"
    )
    html = client.get(reverse("communities:profile-detail", args=[person.username])).text
    assert "<strong>retrospectives</strong>" in html
    assert "<li>one</li>" in html
    assert "<script>alert(1)" not in html
    assert "javascript:" not in html


@pytest.mark.django_db
def test_the_account_pages_speak_trellis(client):
    signup = client.get(reverse("account_signup")).text
    assert "<title>Sign up · Trellis</title>" in signup
    assert "Create your account" in signup
    assert ">Sign up<" in signup.replace("\n", "").replace("  ", "")
    assert "Sign Up" not in signup
    login = client.get(reverse("account_login")).text
    assert "Sign in to Trellis" in login
    assert "Create your account" in login
    assert "Sign In" not in login


@pytest.mark.django_db
def test_seed_demo_keeps_its_emails_quiet_and_prints_the_logins_last(capsys, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123"
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "Subject:" not in out
    assert "Content-Type:" not in out
    lines = [line for line in out.splitlines() if line.strip()]
    ready = next(n for n, line in enumerate(lines) if line.startswith("Demo data is ready"))
    # Only the sign-in list and the addresses come after the other apps' notes.
    logins = lines[ready + 1 : -1]
    assert logins
    assert all(re.search(r"@trellis\.test\s+trellis-demo-2026", line) for line in logins)
    assert lines[-1].startswith("Site: http://127.0.0.1:8123/")


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_demo_takes_a_port_and_the_site_url_follows_it():
    plan = subprocess.run(
        ["make", "-n", "demo", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # The venv's path is whatever VENV names (CI uses its own).
    assert re.search(r"SITE_URL=http://127\.0\.0\.1:8123 \S+/bin/python manage\.py seed_demo", plan)
    assert "runserver 127.0.0.1:8123" in plan


@pytest.mark.django_db
def test_an_expected_refusal_is_logged_in_one_line_without_a_traceback(client, caplog, settings):
    settings.TRELLIS_COMMUNITY_CREATORS = "staff"
    client.force_login(UserFactory())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("communities:community-create")).status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert refusals
    assert all(record.exc_info is None for record in refusals)
    assert "Traceback" not in caplog.text
