from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "borderlink.cases"
    verbose_name = _("Joint cases")

    def ready(self) -> None:
        from borderlink.cases import federation  # noqa: F401 (registers the app's envelope kinds)
