from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "borderlink.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        from borderlink.notices import federation  # noqa: F401 (registers the app's envelope kinds)
