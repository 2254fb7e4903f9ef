from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from borderlink.core.backup import BackupError, check_attachments, restore
from borderlink.core.management.commands.backup import read_passphrase


class Command(BaseCommand):
    help = (
        "Restore this node from a backup made by `backup` (stop the web server and the worker first): checks the "
        "manifest, loads the database, adds the attachments, puts the backup's audit checkpoint file in place, "
        "restores the node key when --passphrase-file is given (from --key-from or DIR/node_key.pem.enc), and asks "
        "every peer to deliver again what it delivered since the backup."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory")
        parser.add_argument("--passphrase-file")
        parser.add_argument("--key-from")

    def handle(self, *args, **options) -> None:
        try:
            summary = restore(Path(options["directory"]), read_passphrase(options["passphrase_file"]),
                              Path(options["key_from"]) if options["key_from"] else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"restored the backup of {summary['created_at']} (audit head {summary['audit_head']['seq']}); "
            f"{summary['attachments']} attachments; {summary['resend_asked']} peers asked to deliver again"
        )
        problems = check_attachments()
        if problems:
            raise CommandError("attachments that do not match: " + "; ".join(problems[:20]))
        self.stdout.write("every attachment matches its hash; run `manage.py migrate`, then `manage.py audit_verify`")
