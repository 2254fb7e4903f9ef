from django.core.management.base import BaseCommand

from borderlink.victims import demo


class Command(BaseCommand):
    help = "Take every step of the synthetic demo victims' path that this node can take now (scripts/demo.sh)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"demo victims: {demo.advance()} steps")
