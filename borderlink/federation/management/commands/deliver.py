import time

from django.core.management.base import BaseCommand

from borderlink.federation.delivery import deliver_due


class Command(BaseCommand):
    help = "Post queued envelopes to peers (the worker does this continuously; --once for one round)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--interval", type=float, default=0.5)

    def handle(self, *args, **options) -> None:
        while True:
            counts = deliver_due()
            if counts["delivered"] or counts["failed"]:
                self.stdout.write(f"delivered {counts['delivered']}, failed {counts['failed']}")
            if options["once"]:
                return
            if not counts["delivered"]:
                time.sleep(options["interval"])
