from django.core.management.base import BaseCommand

from borderlink.core import demo_data
from borderlink.core.reference_data import load_reference


class Command(BaseCommand):
    help = (
        "Load reference data and the synthetic demo organisation, users (known TOTP key), messages, notices, requests, custody notifications, border incidents and passes. "
        "With --country, only that node's users and what they write (for one node per ministry)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--country", choices=["VN", "LA", "KH"])
        parser.add_argument("--skip-content", action="store_true", help="organisation and users only")
        parser.add_argument("--answer-case-invitations", action="store_true",
                            help="Cambodia's part of the demo joint case, once the invitation has arrived (after the workers run)")

    def handle(self, *args, **options) -> None:
        country = options.get("country")
        if options["answer_case_invitations"]:
            done = demo_data.answer_case_invitations(country)
            self.stdout.write(f"demo case invitations answered: {done}")
            return
        load_reference()
        demo_data.load_units()
        logins = demo_data.load_users(country)
        if options["skip_content"]:
            self.stdout.write(f"demo organisation loaded: {len(logins)} users")
            return
        count = demo_data.load_messages(country)
        notices = demo_data.load_notices(country)
        requests = demo_data.load_requests(country)
        incidents = demo_data.load_border(country)
        demo_data.load_meetings(country)
        cases = demo_data.load_cases(country)
        from borderlink.victims import demo as victims_demo

        victims = victims_demo.load(country)
        from borderlink.plans import demo as plans_demo

        plan_items = plans_demo.load(country)
        self.stdout.write(f"demo data loaded: {len(logins)} users, {count} messages, {notices} notices, {requests} requests, "
                          f"{incidents} border incidents, {cases} joint cases, {victims} victims, {plan_items} plan items")
