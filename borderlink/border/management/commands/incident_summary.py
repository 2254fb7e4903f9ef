"""Check or rebuild the incidents summary the incident list's counts read (`borderlink.border.summary`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from borderlink.border import summary


class Command(BaseCommand):
    help = ("Compare the incidents summary (counts per month, province pair, gate, kind and the visibility rules' columns) "
            "with the incidents (--check, the default; exit status 1 when they differ) or recompute it from them "
            "(--rebuild: after incidents were written by SQL, or a change of TIME_ZONE).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="recompute the summary from the incidents")
        parser.add_argument("--check", action="store_true", help="compare only (the default)")

    def handle(self, *args, **options) -> None:
        if options["rebuild"]:
            done = summary.rebuild()
            self.stdout.write(f"summary rebuilt: {done['rows']} rows counting {done['incidents']} incidents")
            return
        wrong = summary.differences()
        if wrong:
            for key, kept, right in wrong[:20]:
                self.stdout.write(f"{key}: kept {kept}, incidents give {right}")
            raise CommandError(f"the summary differs from the incidents in {len(wrong)} rows: run incident_summary --rebuild")
        counts = summary.stored()
        self.stdout.write(f"summary matches the incidents: {len(counts)} rows, {sum(counts.values())} incidents")
