from django.core.management.base import BaseCommand

from borderlink.core.reference_data import load_reference


class Command(BaseCommand):
    help = "Load or refresh countries, ministries, border provinces and border gates from the sourced CSVs."

    def handle(self, *args, **options) -> None:
        counts = load_reference()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
