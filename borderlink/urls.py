from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from borderlink.api import api
from borderlink.core.health import healthz

admin.site.site_header = "Borderlink"
handler500 = "borderlink.core.errors.server_error"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="exchange:inbox", permanent=False)),
    path("", include("borderlink.accounts.urls")),
    path("messages/", include("borderlink.exchange.urls")),
    path("notices/", include("borderlink.notices.urls")),
    path("persons/", include("borderlink.persons.urls")),
    path("requests/", include("borderlink.assistance.urls")),
    path("custody/", include("borderlink.custody.urls")),
    path("victims/", include("borderlink.victims.urls")),
    path("audit/", include("borderlink.audit.urls")),
    path("federation/", include("borderlink.federation.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", healthz, name="healthz"),
]
