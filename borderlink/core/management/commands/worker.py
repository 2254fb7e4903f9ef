"""The node's background worker: builds the name index, delivers envelopes to peers, runs the daily jobs
once a day (claimed in the database, so one worker among many runs them), checks request deadlines
every minute and
processes queued tasks (django-tasks database backend)."""

from __future__ import annotations

import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from borderlink.core.daily import run_due_jobs


class Command(BaseCommand):
    help = "Run the background worker: name index, daily jobs, queued tasks."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, **options) -> None:
        from borderlink.persons.name_index import get_index

        for scope in ("subjects", "persons"):
            started = time.monotonic()
            size = len(get_index(scope))  # type: ignore[arg-type]
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
                except Exception as exc:  # keep the loop alive; the rows hold the state
                    self.stderr.write(f"periodic jobs failed: {exc}")
                finally:
                    close_old_connections()
                time.sleep(60)

        def deliveries() -> None:
            from django.db import close_old_connections

            from borderlink.federation.delivery import deliver_due

            while True:
                try:
                    counts = deliver_due()
                except Exception as exc:  # keep delivering; the envelope rows hold the state
                    self.stderr.write(f"delivery round failed: {exc}")
                    counts = {"delivered": 0}
                finally:
                    close_old_connections()
                if not counts["delivered"]:
                    time.sleep(0.5)

        threading.Thread(target=daily, name="daily-jobs", daemon=True).start()
        threading.Thread(target=deliveries, name="deliveries", daemon=True).start()
        call_command("db_worker", interval=options["interval"])
