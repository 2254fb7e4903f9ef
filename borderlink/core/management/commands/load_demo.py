from django.core.management.base import BaseCommand

from borderlink.core import demo_data
from borderlink.core.reference_data import load_reference


class Command(BaseCommand):
    help = "Load reference data and the synthetic demo organisation, users (known TOTP key) and messages."

    def handle(self, *args, **options) -> None:
        load_reference()
        demo_data.load_units()
        logins = demo_data.load_users()
        count = demo_data.load_messages()
        notices = demo_data.load_notices()
        self.stdout.write(f"demo data loaded: {len(logins)} users, {count} new messages, {notices} new notices")
