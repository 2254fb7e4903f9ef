from django.core.management.base import BaseCommand

from borderlink.border import demo


class Command(BaseCommand):
    help = ("Take every step of the demo's regular liaison meetings that this node can take now (scripts/demo.sh runs "
            "it on Viet Nam and Laos in turn as envelopes arrive).")

    def handle(self, *args, **options) -> None:
        steps = demo.advance()
        self.stdout.write(f"demo meetings: {steps} steps; {demo.summary()}")
