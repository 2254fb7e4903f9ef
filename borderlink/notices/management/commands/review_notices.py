from django.core.management.base import BaseCommand

from borderlink.notices.services import suspend_overdue


class Command(BaseCommand):
    help = "Suspend published notices past their review date (the worker runs this daily)."

    def handle(self, *args, **options) -> None:
        done = suspend_overdue()
        self.stdout.write(f"suspended {len(done)} notices past their review date")
