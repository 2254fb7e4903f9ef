from django.core.management.base import BaseCommand, CommandError

from borderlink.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; exit 1 and name the first broken link if any."

    def handle(self, *args, **options) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"audit chain BROKEN at event {report.broken_at}: {report.reason} "
                f"({report.checked} events verified before it)"
            )
        self.stdout.write(f"audit chain OK: {report.checked} events verified")
