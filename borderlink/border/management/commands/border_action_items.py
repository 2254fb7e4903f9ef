from django.core.management.base import BaseCommand

from borderlink.border.meetings import check_action_items


class Command(BaseCommand):
    help = ("Remind the owners of overdue action items of this node's liaison meetings, and escalate those overdue "
            "for a week (the worker does this once a day).")

    def handle(self, *args, **options) -> None:
        counts = check_action_items()
        self.stdout.write(f"{counts['reminders']} reminders, {counts['escalations']} escalations")
