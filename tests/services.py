"""Which real services this test run can reach, decided once per run."""

import functools
import os
from urllib.parse import urlparse


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER") == "1"


def broker_url() -> str:
    return os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or ""


@functools.cache
def postgres_problem() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return "DATABASE_URL does not point at PostgreSQL"
    import psycopg

    parsed = urlparse(url)
    try:
        psycopg.connect(
            host=parsed.hostname,
            port=parsed.port or 5432,
            user=parsed.username or "postgres",
            password=parsed.password or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except Exception as error:
        return f"PostgreSQL at {parsed.hostname}:{parsed.port or 5432} is unreachable: {error}"
    return None


@functools.cache
def redis_problem() -> str | None:
    url = broker_url()
    if not url:
        return "CELERY_BROKER_URL is not set"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except Exception as error:
        return f"Redis at {url} is unreachable: {error}"
    return None


CHROMIUM_PATH = "/usr/bin/chromium"


@functools.cache
def browser_problem() -> str | None:
    if not os.path.exists(CHROMIUM_PATH):
        return f"no Chromium at {CHROMIUM_PATH} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None
