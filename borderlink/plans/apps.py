from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "borderlink.plans"
    verbose_name = _("Cooperation plans")

    def ready(self) -> None:
        from borderlink.audit.actions import ACTION_LABELS
        from borderlink.plans import federation, records  # noqa: F401 (register the app's envelope kinds)
        from borderlink.plans.audit_labels import LABELS

        ACTION_LABELS.update(LABELS)  # type: ignore[arg-type]  # lazy labels, as the table holds
