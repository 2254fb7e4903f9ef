from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "borderlink.core"
    label = "core"
    verbose_name = _("Organisation and reference data")


class BorderlinkAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "borderlink.core.admin_site.NodeAdminSite"
