"""The one way a service queues a task: by the task's registered name, after the transaction
commits, so nothing is sent for work that rolled back.

Tasks import the services they call; services never import task modules, so the two never
form an import cycle. `CommunitiesConfig.ready()` imports `communities.tasks`, which registers
every task of every layer before the first request.
"""

from functools import partial
from typing import Any

from celery import current_app
from django.db import transaction


def enqueue_on_commit(task_name: str, *args: Any) -> None:
    """Queue `task_name(*args)` once the current transaction commits (now when there is none)."""
    transaction.on_commit(partial(current_app.tasks[task_name].delay, *args))
