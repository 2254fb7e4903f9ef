"""Send due reminders and escalate overdue requests (the worker does this every minute)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from borderlink.assistance.services import check_deadlines


class Command(BaseCommand):
    help = "Remind requested units of near deadlines and escalate overdue requests to the supervisors of both sides."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--now", help="check as of this ISO 8601 time with offset (to replay or test), not the clock")

    def handle(self, *args, **options) -> None:
        now = None
        if options["now"]:
            try:
                now = datetime.datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandError("--now takes an ISO 8601 time, for example 2026-11-23T18:00:00+07:00") from None
            if now.tzinfo is None:
                raise CommandError("--now needs a UTC offset, for example +07:00")
        counts = check_deadlines(now)
        self.stdout.write(f"reminders: {counts['reminders']}, escalations: {counts['escalations']}")
