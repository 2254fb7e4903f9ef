from django.core.management.base import BaseCommand

from borderlink.plans import demo


class Command(BaseCommand):
    help = ("Take the next steps of the demo cooperation plan this node can take (propose, approve, report "
            "progress), once the other node's envelopes have arrived. scripts/demo.sh runs it on each node in turn.")

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"demo plan: {demo.advance()}")
