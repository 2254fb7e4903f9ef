from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BorderConfig(AppConfig):
    name = "borderlink.border"
    verbose_name = _("Border provinces")

    def ready(self) -> None:
        from borderlink.audit.actions import ACTION_LABELS
        from borderlink.border import federation, meeting_federation  # noqa: F401 (register the app's envelope kinds)
        from borderlink.border.audit_labels import LABELS
        from borderlink.core.daily import JOBS

        ACTION_LABELS.update(LABELS)  # type: ignore[arg-type]  # lazy labels, as the table holds
        JOBS.setdefault("border_action_items", _action_items)
        JOBS.setdefault("border_schedules", _schedules)


def _action_items() -> None:
    """The daily job: remind and escalate overdue action items of the meetings this node owns."""
    from borderlink.border.meetings import check_action_items

    check_action_items()


def _schedules() -> None:
    """The daily job: propose the next meetings of the regular schedules this node keeps."""
    from borderlink.border.schedules import propose_due

    propose_due()
