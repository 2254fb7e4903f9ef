from django.core.management.base import BaseCommand

from borderlink.audit import checkpoints


class Command(BaseCommand):
    help = (
        "Sign a checkpoint of the audit chain now (the worker does so hourly and at each daily job), "
        "append it to BORDERLINK_AUDIT_CHECKPOINT_FILE and queue it for every peer."
    )

    def handle(self, *args, **options) -> None:
        item = checkpoints.sign(force=True)
        if item is None:
            self.stdout.write("nothing to sign: no node key yet, or an empty audit log")
            return
        body = item["checkpoint"]
        self.stdout.write(f"checkpoint signed: event {body['seq']} {body['hash']} at {body['signed_at']}")
