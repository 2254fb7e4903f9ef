from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "borderlink.cases"
    verbose_name = _("Joint cases")

    def ready(self) -> None:
        from borderlink.cases import federation, hits  # noqa: F401 (register the app's envelope kinds and its hit/no-hit answerer)
