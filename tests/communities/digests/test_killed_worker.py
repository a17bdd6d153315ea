"""A real Celery worker killed mid-batch: the rest arrive later, at most one email twice."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone

from communities.digests import schedule
from communities.digests.models import DeliveryStatus, DigestDelivery
from communities.models import User
from tests import services as test_services
from tests.communities.factories import add_member, make_reply, make_thread, new_community

ROOT = Path(__file__).resolve().parents[3]
MEMBERS = 8
SEND_DELAY = 0.5
LEASE = 15


class Sink:
    """An SMTP server that only counts who each message was for."""

    def __init__(self):
        self.received: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        self.received.extend(envelope.rcpt_tos)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db.get('USER') or 'postgres'}{password}@{db.get('HOST') or '127.0.0.1'}"
        f":{db.get('PORT') or 5432}/{db['NAME']}"
    )


def start_worker(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),  # the test database, which this test commits to
        "CELERY_BROKER_URL": test_services.broker_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "TRELLIS_DIGESTS_SEND_DELAY_SECONDS": str(SEND_DELAY),
        "TRELLIS_DIGESTS_CLAIM_LEASE_SECONDS": str(LEASE),
        "DEBUG": "1",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_leaves_the_rest_to_the_next_run(settings):
    from aiosmtpd.controller import Controller

    from communities.digests.tasks import send_digest_batch, send_due_digests
    from config.celery import app

    community = new_community()
    thread = make_thread(author=add_member(community), community=community, kind="discussion")
    make_reply(author=add_member(community), thread=thread)
    members = [add_member(community) for _ in range(MEMBERS)]
    User.objects.exclude(pk__in=[m.pk for m in members]).update(digest_frequency="never")
    connections.close_all()

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    workers = []
    try:
        app.control.purge()
        workers.append(start_worker(port))
        period = schedule.period_key("weekly", timezone.now().date())
        send_digest_batch.delay("weekly", period, [m.pk for m in members])
        wait_for(lambda: len(sink.received) >= 3, 120, "the first digests")
        os.killpg(workers[0].pid, signal.SIGKILL)  # mid-batch, no chance to clean up
        workers[0].wait(10)
        at_kill = len(sink.received)
        assert at_kill < MEMBERS, "the worker finished before it could be killed"

        # The next run, once the dead worker's claims are older than the lease.
        oldest = DigestDelivery.objects.order_by("claimed_at").first().claimed_at
        time.sleep(max(0.0, (oldest - timezone.now()).total_seconds() + LEASE + 1))
        workers.append(start_worker(port))
        send_due_digests.delay(force=True)
        wait_for(
            lambda: DigestDelivery.objects.filter(status=DeliveryStatus.SENT).count() == MEMBERS,
            120,
            "the rest of the batch",
        )
        time.sleep(1)  # anything sent twice would arrive now
    finally:
        app.conf.task_always_eager = True
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
        controller.stop()
        connections.close_all()

    counts = Counter(sink.received)
    assert {m.email: counts[m.email] for m in members if counts[m.email] == 0} == {}
    assert all(count <= 2 for count in counts.values())
    assert sum(count - 1 for count in counts.values()) <= 1  # only the one in flight
    assert set(counts) == {m.email for m in members}
