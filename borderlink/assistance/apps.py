from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "borderlink.assistance"
    verbose_name = _("Requests and handovers")

    def ready(self) -> None:
        from borderlink.assistance import federation  # noqa: F401 (registers the app's envelope kinds)
