from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustodyConfig(AppConfig):
    name = "borderlink.custody"
    verbose_name = _("Foreign nationals in custody")

    def ready(self) -> None:
        from borderlink.custody import federation  # noqa: F401 (registers the app's envelope kinds)
