from django.core.management.base import BaseCommand, CommandError

from borderlink.audit import checkpoints
from borderlink.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the audit log against this node's signed checkpoints "
        "(BORDERLINK_AUDIT_CHECKPOINT_FILE) and, with --peers, against the checkpoints each peer witnessed. "
        "Exit 1 and name the first broken link or the first checkpoint that no longer matches."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--peers", action="store_true", help="also ask every peer for the checkpoints it witnessed")

    def handle(self, *args, **options) -> None:
        keys = checkpoints.own_public_keys()
        own, bad = checkpoints.checked_records(checkpoints.read_file(), keys)
        if bad is not None:
            raise CommandError(f"audit checkpoint file BROKEN: {bad} ({settings_path()})")
        report = verify_chain(own)
        if not report.ok:
            raise CommandError(
                f"audit chain BROKEN at event {report.broken_at}: {report.reason} "
                f"({report.checked} events verified before it; against the checkpoint file)"
            )
        self.stdout.write(f"audit chain OK: {report.checked} events verified, {report.checkpoints_checked} signed checkpoints match")
        if not own and report.checked:
            self.stderr.write(f"warning: no signed checkpoints in {settings_path()}: a chain cut short or rewritten "
                              "cannot be told from an intact one without them (see --peers)")
        if not options["peers"]:
            return
        from borderlink.audit.federation import ask_peer
        from borderlink.federation.models import Peer

        failures = []
        for peer in Peer.objects.filter(is_active=True).order_by("node_id"):
            witnessed, why = ask_peer(peer)
            if witnessed is None:
                failures.append(f"{peer.node_id}: could not ask: {why}")
                continue
            theirs, bad = checkpoints.checked_records(witnessed, keys)
            if bad is not None:
                failures.append(f"{peer.node_id}: {bad}")
                continue
            peer_report = verify_chain(theirs)
            if not peer_report.ok:
                failures.append(f"{peer.node_id} witnessed: audit chain BROKEN at event {peer_report.broken_at}: {peer_report.reason}")
            else:
                self.stdout.write(f"{peer.node_id}: {peer_report.checkpoints_checked} witnessed checkpoints match")
        if failures:
            raise CommandError("; ".join(failures))


def settings_path() -> str:
    from django.conf import settings

    return str(settings.AUDIT_CHECKPOINT_FILE)
