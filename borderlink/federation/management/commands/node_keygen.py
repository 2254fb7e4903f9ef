import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from borderlink.federation import crypto


class Command(BaseCommand):
    help = (
        "Create this node's Ed25519 key pair in BORDERLINK_NODE_KEY_FILE (never in the database). "
        "With --rotate: make a new key, keep the previous one for a grace period, and send every peer a "
        "rotation card endorsed by the previous key (peers accept it without a phone call)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="do nothing when the key exists")
        parser.add_argument("--rotate", action="store_true", help="replace the existing key (see README: key rotation)")
        parser.add_argument("--grace-days", type=int, default=None,
                            help="how long peers still accept the previous key (default BORDERLINK_KEY_ROTATION_GRACE_DAYS)")
        parser.add_argument("--card", help="also write the rotation card to this file")

    def handle(self, *args, **options) -> None:
        path = settings.NODE_KEY_FILE
        if options["rotate"]:
            from borderlink.federation.rotation import RotationError, rotate

            try:
                card = rotate(options["grace_days"])
            except RotationError as exc:
                raise CommandError(str(exc)) from None
            if options["card"]:
                with open(options["card"], "w", encoding="utf-8") as handle:
                    json.dump(card, handle, indent=2)
            new = crypto.fingerprint(crypto.unb64(card["card"]["public_key"]))
            old = crypto.fingerprint(crypto.unb64(card["card"]["previous_key"]))
            self.stdout.write(f"key rotated: {old} -> {new}; the previous key stays valid until {card['card']['grace_until']}; "
                              "the rotation card is queued for every peer")
            return
        if path.exists():
            if options["if_missing"]:
                key = crypto.load_private_key(path)
                self.stdout.write(f"key exists: {path}; fingerprint {crypto.fingerprint(crypto.public_bytes(key))}")
                return
            raise CommandError(f"{path} exists: a node keeps its key (use --rotate to replace it)")
        key = crypto.generate_key_file(path)
        self.stdout.write(f"key written to {path} (mode 600); fingerprint {crypto.fingerprint(crypto.public_bytes(key))}")
