"""The node's background worker: builds the name index, delivers envelopes to peers, runs the daily jobs
once a day (claimed in the database, so one worker among many runs them), checks request deadlines
every minute, signs audit checkpoints, beats its heartbeat (the tasks of a dead worker go back to the
queue) and processes queued tasks (django-tasks database backend). A transient database error (a
locked SQLite file, a PostgreSQL restart) never stops it: each loop backs off and tries again."""

from __future__ import annotations

import threading
import time

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.crypto import get_random_string

from borderlink.core.daily import run_due_jobs
from borderlink.core.worker import heartbeat_seconds, make_task_worker, retrying


class Command(BaseCommand):
    help = "Run the background worker: name index, daily jobs, checkpoints, deliveries, queued tasks."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, **options) -> None:
        from borderlink.persons.name_index import get_index

        worker_id = get_random_string(32)
        started_at = timezone.now()
        for scope in ("subjects", "persons"):
            started = time.monotonic()
            size = retrying(lambda: len(get_index(scope)), f"name index ({scope})")  # type: ignore[arg-type]  # noqa: B023 (called at once)
            self.stdout.write(f"name index ({scope}) ready: {size} names in {time.monotonic() - started:.1f} s")

        def daily() -> None:
            from django.db import close_old_connections

            from borderlink.assistance.services import check_deadlines

            while True:
                try:
                    for job in run_due_jobs(timezone.localdate()):
                        self.stdout.write(f"daily job done: {job}")
                    counts = check_deadlines()  # request deadlines: each reminder and escalation claimed once
                    if counts["reminders"] or counts["escalations"]:
                        self.stdout.write(f"request deadlines: {counts}")
                    from borderlink.cases.services import check_task_deadlines

                    counts = check_task_deadlines()  # joint-case tasks, on the same deadline machinery
                    if counts["reminders"] or counts["escalations"]:
                        self.stdout.write(f"case task deadlines: {counts}")
                    from borderlink.victims.deadlines import check as check_victim_deadlines

                    counts = check_victim_deadlines()  # the victim's return path, on the same machinery
                    if counts["reminders"] or counts["escalations"]:
                        self.stdout.write(f"victim case deadlines: {counts}")
                    from borderlink.cases.correlation import resume_pending

                    if resumed := resume_pending():  # entities whose cross-referencing was lost on the way
                        self.stdout.write(f"case entities cross-referenced late: {resumed}")
                except Exception as exc:  # keep the loop alive; the rows hold the state
                    self.stderr.write(f"periodic jobs failed: {exc}")
                finally:
                    close_old_connections()
                time.sleep(60)

        def heartbeat() -> None:
            from django.db import close_old_connections

            from borderlink.audit.checkpoints import sign_if_due
            from borderlink.core.worker import beat, requeue_orphans
            from borderlink.federation.rotation import expire as expire_rotated_keys

            while True:
                try:
                    beat(worker_id, started_at)
                    for task_id in requeue_orphans():
                        self.stdout.write(f"task {task_id} of a dead worker put back in the queue")
                    if sign_if_due():
                        self.stdout.write("audit checkpoint signed")
                    expire_rotated_keys()  # grace periods of key rotations that are over
                except Exception as exc:  # keep beating; a locked database is retried next time
                    self.stderr.write(f"heartbeat failed: {exc}")
                finally:
                    close_old_connections()
                time.sleep(heartbeat_seconds())

        def deliveries() -> None:
            from django.db import close_old_connections

            from borderlink.federation.delivery import deliver_due

            while True:
                try:
                    counts = deliver_due()
                except Exception as exc:  # keep delivering; the envelope rows hold the state
                    self.stderr.write(f"delivery round failed: {exc}")
                    counts = {"delivered": 0}
                    time.sleep(1)
                finally:
                    close_old_connections()
                if not counts["delivered"]:
                    time.sleep(0.5)

        threading.Thread(target=heartbeat, name="heartbeat", daemon=True).start()
        threading.Thread(target=daily, name="daily-jobs", daemon=True).start()
        threading.Thread(target=deliveries, name="deliveries", daemon=True).start()
        self._run_tasks(worker_id, options["interval"])

    def _run_tasks(self, worker_id: str, interval: float) -> None:
        """django-tasks-db's worker loop (as `db_worker`), with this process's worker id and back-off."""
        import logging

        from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME

        logging.getLogger("django_tasks_db").setLevel(logging.INFO)
        worker = make_task_worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME], interval=interval, batch=False, backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=True, max_tasks=None, worker_id=worker_id, excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()
