"""Serve the site with gunicorn and drive it with wrk, for the load benchmarks.

The data must be committed (`django_db(transaction=True)`) so that gunicorn's own connections
see it. Each figure is measured against the bare view in the same run, interleaved, because
these machines are noisy: compare ratios, not absolute numbers.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

BARE = "/bench/bare/"


def wrk_problem() -> str | None:
    if shutil.which("wrk") is None:
        return "wrk is not installed (apt-get install -y wrk)"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


@contextmanager
def gunicorn(*, workers: int = 2):
    """A gunicorn serving the site on the test database; yields its base URL."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.bench_settings",
        "DATABASE_URL": _database_url(),
        "DB_CONN_MAX_AGE": "600",
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + BARE, timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def session_cookie(user) -> str:
    """A signed-in session for `user`, as a Cookie header value."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float


def _ms(value: str) -> float:
    found = re.match(r"([\d.]+)(us|ms|s|m)", value)
    if found is None:
        raise AssertionError(f"wrk printed a latency I cannot read: {value!r}")
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def drive(url: str, *, cookie: str = "", seconds: int = 5, connections: int = 4) -> Load:
    """wrk against one URL; requests per second and latency percentiles."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    if "Non-2xx" in output:
        raise AssertionError(f"{url} answered errors under load:\n{output}")
    if "Latency Distribution" not in output:
        raise AssertionError(f"wrk printed no latencies for {url}:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    return Load(rps=rps, p50_ms=p50, p99_ms=p99)


def compare(base: str, path: str, *, cookie: str = "", rounds: int = 2, seconds: int = 4):
    """Interleave the bare view and `path`; the best round of each, and their ratio."""
    bare_runs, page_runs = [], []
    for _ in range(rounds):
        bare_runs.append(drive(base + BARE, seconds=seconds))
        page_runs.append(drive(base + path, cookie=cookie, seconds=seconds))
    bare = max(bare_runs, key=lambda load: load.rps)
    page = max(page_runs, key=lambda load: load.rps)
    return bare, page, page.rps / bare.rps


def report(name: str, value) -> None:
    print(f"BENCH {name} {value}")
