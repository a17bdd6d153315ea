import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    dropped = {"DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x9!k2Lq8#vN4pR7tW1zY5bC3dF6gH0jM-production-grade-secret-key",
        ALLOWED_HOSTS="trellis.example.org",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/trellis_prod_check",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/9",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DEBUG": "0", "SECRET_KEY": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_no_variables_gives_the_zero_setup_demo():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"}
    }
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER,"
        " s.DEBUG, s.EMAIL_BACKEND)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_custom_user_model_and_guardian_backend_are_wired():
    assert settings.AUTH_USER_MODEL == "communities.User"
    assert "guardian.backends.ObjectPermissionBackend" in settings.AUTHENTICATION_BACKENDS


def test_beat_schedule_lives_in_config():
    from config.celery import app

    assert "refresh-community-member-counts" in app.conf.beat_schedule


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_connections_turn_jit_off():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def _postgres_database_settings(*keys: str, **env: str) -> list[str]:
    """What the settings give DATABASES["default"] for a PostgreSQL URL under `env`: the
    values of `keys` ("OPTIONS.name" for an option), as printed."""
    values = ", ".join(
        f"db['OPTIONS'].get('{key[8:]}')" if key.startswith("OPTIONS.") else f"db['{key}']"
        for key in keys
    )
    show = f"from django.conf import settings; db = settings.DATABASES['default']; print({values})"
    url = "postgres://postgres@127.0.0.1:5432/trellis_settings_check"
    result = run_manage("shell", "-c", show, DATABASE_URL=url, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()[-len(keys) :]


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler():
    # Only the statements that ask are prepared, unless turned off.
    assert _postgres_database_settings("OPTIONS.prepare_threshold") == [str(2**31 - 1)]
    off = _postgres_database_settings("OPTIONS.prepare_threshold", DB_PREPARED_STATEMENTS="0")
    assert off == ["None"]


def test_postgres_connections_are_kept_between_requests_and_checked():
    keys = ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")
    assert _postgres_database_settings(*keys) == ["60", "True"]
    assert _postgres_database_settings(*keys, DB_CONN_MAX_AGE="0") == ["0", "True"]
