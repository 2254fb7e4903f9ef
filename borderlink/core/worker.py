"""The worker's lease on its tasks, and its resistance to database faults.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at
it again: a worker killed mid-task (kill -9, power loss, OOM) leaves it RUNNING
for good. Here each worker process beats in ``WorkerHeartbeat`` every third of
``BORDERLINK_WORKER_LEASE_SECONDS``; any worker puts the RUNNING tasks of a worker
whose beat is older than the lease back to READY, with a conditional update, so
exactly one worker takes each of them up again (the task runs to completion once;
tasks are written to be safe to run again after an interruption, as the hit checks
are). Each requeue is audited.

A database that is locked (SQLite, a long write) or unreachable (PostgreSQL
restarting) is transient: the worker's loops log it, close the connection and try
again with exponential back-off, and never exit because of it.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import socket
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils import timezone

log = logging.getLogger(__name__)
TRANSIENT = (OperationalError, InterfaceError)
MAX_BACKOFF_SECONDS = 60.0
T = TypeVar("T")


def heartbeat_seconds() -> float:
    return max(1.0, settings.WORKER_LEASE_SECONDS / 3)


def beat(worker_id: str, started_at: datetime.datetime) -> None:
    """Record that this worker is alive."""
    from borderlink.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "started_at": started_at,
                  "beat_at": timezone.now()},
    )


def requeue_orphans(now: datetime.datetime | None = None) -> list[str]:
    """Put the RUNNING tasks of dead workers (no beat within the lease) back in the queue.

    A task counts as its last claimer's (django-tasks-db appends each claimer to
    ``worker_ids``). Returns the ids of the tasks put back; each is audited."""
    from django_tasks_db.models import DBTaskResult

    from borderlink.audit.services import record
    from borderlink.core.models import WorkerHeartbeat

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.WORKER_LEASE_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(beat_at__gte=cutoff).values_list("worker_id", flat=True))
    requeued = []
    for task in DBTaskResult.objects.running().filter(started_at__lt=cutoff).only("id", "worker_ids", "task_path", "started_at"):
        owner = task.worker_ids[-1] if task.worker_ids else ""
        if owner in alive:
            continue
        # Conditional on the claim we saw: a task claimed again meanwhile has another started_at.
        if DBTaskResult.objects.filter(pk=task.pk, status="RUNNING", started_at=task.started_at).update(
            status="READY", started_at=None
        ):
            record(None, "core.task.requeued", object_type="task", object_id=task.pk,
                   data={"task": task.task_path[:200], "dead_worker": owner[:64]})
            requeued.append(str(task.pk))
    WorkerHeartbeat.objects.filter(beat_at__lt=now - datetime.timedelta(days=1)).delete()
    return requeued


def is_transient(exc: BaseException) -> bool:
    return isinstance(exc, TRANSIENT)


def retrying(step: Callable[[], T], what: str, stop: Callable[[], bool] = lambda: False) -> T | None:
    """Run `step` until it succeeds; on a transient database error wait 1, 2, 4 ... 60 s
    (with the connection closed) and try again. Other errors propagate."""
    delay = 1.0
    while not stop():
        try:
            return step()
        except TRANSIENT as exc:
            log.warning("%s: database unavailable (%s); trying again in %.0f s", what, str(exc)[:200], delay)
            _reset_connection()
            time.sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF_SECONDS)
    return None


def _reset_connection() -> None:
    with contextlib.suppress(Exception):  # a broken connection is what is being reset
        connection.close()
    close_old_connections()


def make_task_worker(**options: Any) -> Any:
    """django-tasks-db's Worker, made to survive transient database errors with back-off."""
    from django_tasks_db.management.commands.db_worker import Worker

    class ResilientWorker(Worker):  # type: ignore[misc]
        def run(self) -> None:
            delay = 1.0
            while self.running:
                started = time.monotonic()
                try:
                    super().run()
                    return
                except TRANSIENT as exc:
                    if time.monotonic() - started > MAX_BACKOFF_SECONDS:
                        delay = 1.0  # it ran well for a while: start the back-off again
                    log.warning("task worker: database unavailable (%s); trying again in %.0f s", str(exc)[:200], delay)
                    _reset_connection()
                    self.startup_delay = False
                    time.sleep(delay)
                    delay = min(delay * 2, MAX_BACKOFF_SECONDS)

    return ResilientWorker(**options)
