from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from borderlink.federation import crypto


class Command(BaseCommand):
    help = "Create this node's Ed25519 key pair in BORDERLINK_NODE_KEY_FILE (never in the database)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="do nothing when the key exists")

    def handle(self, *args, **options) -> None:
        path = settings.NODE_KEY_FILE
        if path.exists():
            if options["if_missing"]:
                key = crypto.load_private_key(path)
                self.stdout.write(f"key exists: {path}; fingerprint {crypto.fingerprint(crypto.public_bytes(key))}")
                return
            raise CommandError(f"{path} exists: a node keeps its key")
        key = crypto.generate_key_file(path)
        self.stdout.write(f"key written to {path} (mode 600); fingerprint {crypto.fingerprint(crypto.public_bytes(key))}")
