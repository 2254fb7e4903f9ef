from django.core.management.base import BaseCommand, CommandError

from borderlink.notices.services import purge_expired


class Command(BaseCommand):
    help = (
        "Remove cancelled, resolved and review-suspended notices untouched for the retention period, "
        "and the persons left without notice or hit. Every removal is written to the audit log."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=365 * 5, help="retention period in days (default: five years)")
        parser.add_argument("--dry-run", action="store_true", help="count only")

    def handle(self, *args, **options) -> None:
        if options["days"] < 30:
            raise CommandError("--days must be at least 30: purging is not undoable")
        counts = purge_expired(options["days"], dry_run=options["dry_run"])
        verb = "would purge" if options["dry_run"] else "purged"
        self.stdout.write(f"{verb} {counts['notices']} notices and {counts['persons']} persons")
