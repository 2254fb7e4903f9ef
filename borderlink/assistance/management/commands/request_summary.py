"""Check or rebuild the requests summary the dashboard's statistics read (`borderlink.assistance.summary`)."""

from __future__ import annotations

import dataclasses

from django.core.management.base import BaseCommand, CommandError

from borderlink.assistance import summary


class Command(BaseCommand):
    help = ("Compare the requests summary (counts per unit, month, visibility class and hour of the first answer) with "
            "the requests (--check, the default; exit status 1 when they differ) or recompute it from them (--rebuild: "
            "after requests were written by SQL, or a change of TIME_ZONE).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="recompute the summary from the requests")
        parser.add_argument("--check", action="store_true", help="compare only (the default)")

    def handle(self, *args, **options) -> None:
        if options["rebuild"]:
            done = summary.rebuild()
            self.stdout.write(f"summary rebuilt: {done['rows']} rows counting {done['requests']} requests; "
                              f"answer hours set on {done['answer_hours_set']} requests")
            return
        hours = summary.answer_hour_fixes()
        if hours:
            raise CommandError(f"{len(hours)} requests have a wrong answer_hour: run request_summary --rebuild")
        kept, right = summary.stored(), summary.computed()
        wrong = sorted((k for k in set(kept) | set(right) if kept.get(k, 0) != right.get(k, 0)), key=dataclasses.astuple)
        if wrong:
            for key in wrong[:20]:
                self.stdout.write(f"{key}: kept {kept.get(key, 0)}, requests give {right.get(key, 0)}")
            raise CommandError(f"the summary differs from the requests in {len(wrong)} rows: run request_summary --rebuild")
        self.stdout.write(f"summary matches the requests: {len(right)} rows, {sum(right.values())} requests")
