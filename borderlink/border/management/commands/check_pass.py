from django.core.management.base import BaseCommand, CommandError

from borderlink.accounts.models import User
from borderlink.border.passes import check_pass
from borderlink.core.models import BorderGate


class Command(BaseCommand):
    help = ("Check a border pass at a gate as a user would on the gate page (audited on both nodes); prints the status. "
            "Used by the demo once every node is up.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("number")
        parser.add_argument("--user", required=True, help="the officer at the gate")
        parser.add_argument("--country", required=True, help="the country that issued the pass")
        parser.add_argument("--gate", required=True, help="the gate's name on side A, e.g. 'Lao Bảo'")

    def handle(self, *args, **options) -> None:
        user = User.objects.filter(username=options["user"]).first()
        gate = BorderGate.objects.filter(side_a_name=options["gate"]).first()
        if user is None or gate is None:
            raise CommandError("unknown user or gate")
        answer = check_pass(user, options["number"], options["country"], gate.pk)
        self.stdout.write(f"{options['number']}: {answer.status} (answered by {answer.responder})")
