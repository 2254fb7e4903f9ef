import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from borderlink.federation.node import export_card, import_card


class Command(BaseCommand):
    help = (
        "Exchange node cards with a peer. `node_card export [FILE]` writes this node's signed card; "
        "`node_card import FILE --fingerprint 'XXXX XXXX …'` pins a peer after you compared its fingerprint "
        "with the one its administrator read out to you."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("file", nargs="?", default="-")
        parser.add_argument("--fingerprint", default="")

    def handle(self, *args, **options) -> None:
        if options["action"] == "export":
            text = json.dumps(export_card(), indent=2, ensure_ascii=False)
            if options["file"] == "-":
                self.stdout.write(text)
            else:
                with open(options["file"], "w", encoding="utf-8") as handle:
                    handle.write(text)
                self.stdout.write(f"card written to {options['file']}; fingerprint {export_card()['fingerprint']}")
            return
        if not options["fingerprint"]:
            raise CommandError("--fingerprint is required: compare it with the peer's administrator first")
        try:
            raw = sys.stdin.read() if options["file"] == "-" else open(options["file"], encoding="utf-8").read()
            card = json.loads(raw)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read the card: {exc}") from None
        try:
            peer = import_card(card, options["fingerprint"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"peer pinned: {peer.node_id} ({peer.country_id}) at {peer.base_url}")
