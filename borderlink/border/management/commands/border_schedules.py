from django.core.management.base import BaseCommand

from borderlink.border.schedules import propose_due


class Command(BaseCommand):
    help = ("Propose the next liaison meetings of the regular schedules this node keeps, each within its lead time, "
            "hosts alternating (the worker does this once a day; running it again proposes nothing new).")

    def handle(self, *args, **options) -> None:
        counts = propose_due()
        self.stdout.write(f"{counts['proposed']} proposed, {counts['skipped']} skipped")
