from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "borderlink.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from borderlink.audit.federation import register_kinds

        register_kinds()
