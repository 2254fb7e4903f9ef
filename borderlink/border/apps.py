from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BorderConfig(AppConfig):
    name = "borderlink.border"
    verbose_name = _("Border provinces")

    def ready(self) -> None:
        from borderlink.audit.actions import ACTION_LABELS
        from borderlink.border import federation  # noqa: F401 (registers the app's envelope kinds)
        from borderlink.border.audit_labels import LABELS

        ACTION_LABELS.update(LABELS)
