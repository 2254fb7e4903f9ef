from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "borderlink.plans"
    verbose_name = _("Cooperation plans")

    def ready(self) -> None:
        from borderlink.plans import federation  # noqa: F401 (registers the app's envelope kinds)
