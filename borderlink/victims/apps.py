from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VictimsConfig(AppConfig):
    name = "borderlink.victims"
    label = "victims"
    verbose_name = _("trafficking victims")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from borderlink.victims import federation  # noqa: F401 (registers the app's envelope kinds)
