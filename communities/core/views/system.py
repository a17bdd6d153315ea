import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

logger = logging.getLogger(__name__)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: database unreachable")
        return "down"
    return "ok"


def _broker_state() -> str:
    if not settings.CELERY_BROKER_URL:
        return "in-process"

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.exception("Health check: broker unreachable")
        return "down"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    state = {"database": _database_state(), "broker": _broker_state()}
    down = [name for name, value in state.items() if value == "down"]
    body = {"status": "down" if down else "ok", **state}
    if down:
        body["down"] = down
    return JsonResponse(body, status=503 if down else 200)
