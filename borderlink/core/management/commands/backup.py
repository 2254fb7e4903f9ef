from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from borderlink.core.backup import BackupError, backup


def read_passphrase(path: str | None) -> bytes | None:
    if not path:
        return None
    try:
        return Path(path).read_bytes().rstrip(b"\r\n")
    except OSError as exc:
        raise CommandError(f"cannot read the passphrase file: {exc}") from None


class Command(BaseCommand):
    help = (
        "Back this node up into DIR (new or empty): the database (pg_dump custom format, or SQLite's online backup), "
        "attachments and the audit checkpoint file, with a manifest of SHA-256 sums. With --passphrase-file, the "
        "node key too, encrypted with that passphrase, to --key-to (default DIR/node_key.pem.enc): keep it apart."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory")
        parser.add_argument("--passphrase-file", help="a file holding the passphrase that encrypts the node key")
        parser.add_argument("--key-to", help="where to write the encrypted node key")

    def handle(self, *args, **options) -> None:
        passphrase = read_passphrase(options["passphrase_file"])
        try:
            manifest = backup(Path(options["directory"]), passphrase,
                              Path(options["key_to"]) if options["key_to"] else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        head = manifest["audit_head"]
        self.stdout.write(
            f"backup written to {options['directory']}: {manifest['engine']} database, {manifest['attachments']} attachments, "
            f"audit head {head['seq']}" + ("" if passphrase else "; node key NOT included (no --passphrase-file)")
        )
