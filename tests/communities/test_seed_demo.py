import pytest
from django.core.management import call_command

from communities.models import User


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_logins(capsys):
    call_command("seed_demo")
    first = {model: model.objects.count() for model in [User]}
    call_command("seed_demo")
    assert {model: model.objects.count() for model in [User]} == first
    out = capsys.readouterr().out
    assert "staff@trellis.test" in out


@pytest.mark.django_db
def test_demo_staff_opens_both_admins(client):
    call_command("seed_demo")
    assert client.login(email="staff@trellis.test", password="trellis-demo-2026")
    assert client.get("/cms/").status_code == 200
    assert client.get("/django-admin/").status_code == 200
