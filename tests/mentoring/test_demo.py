"""`seed_demo` adds a mentoring programme worth clicking through, once."""

import pytest
from django.core.management import call_command

from mentoring.models import Notice, Pairing, Programme, Reflection

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_a_programme_with_every_stage_of_mentoring(settings, capsys):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo")
    programme = Programme.objects.get(name="Pipeline mentoring")
    for kind in ("Mentoring", "Peer coaching", "Onboarding buddies"):
        assert f"<strong>{kind}</strong>" in programme.guide_html
    statuses = list(Pairing.objects.filter(programme=programme).values_list("status", flat=True))
    assert statuses.count("active") == 3  # two on track, one gone quiet
    assert statuses.count("closed") == 1
    assert statuses.count("proposed") >= 1
    assert Reflection.objects.filter(pairing__programme=programme).count() == 2
    assert Notice.objects.filter(kind="no_session").count() == 2
    active = Pairing.objects.filter(programme=programme, status="active")
    assert all(p.goals.exists() and p.sessions.exists() for p in active)
    assert any("shared topic" in r for p in active for r in p.reasons)
    counts = (Programme.objects.count(), Pairing.objects.count(), Notice.objects.count())
    call_command("seed_demo")
    assert (Programme.objects.count(), Pairing.objects.count(), Notice.objects.count()) == counts
    assert "Mentoring: Pipeline mentoring" in capsys.readouterr().out
