from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "borderlink.federation"
    label = "federation"
    verbose_name = _("Federation")

    def ready(self) -> None:
        from borderlink.federation import resend, rotation

        resend.register_kinds()
        rotation.register_kinds()
