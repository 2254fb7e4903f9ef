from django.contrib import admin
from django.urls import include, path

from borderlink.api import api
from borderlink.border.federation_views import pass_check
from borderlink.core import views as core_views
from borderlink.core.health import healthz

admin.site.site_header = "Borderlink"
handler500 = "borderlink.core.errors.server_error"  # 503 when the database is busy, else core.views.server_error

urlpatterns = [
    path("", core_views.home, name="home"),
    path("", include("borderlink.accounts.urls")),
    path("messages/", include("borderlink.exchange.urls")),
    path("notices/", include("borderlink.notices.urls")),
    path("persons/", include("borderlink.persons.urls")),
    path("requests/", include("borderlink.assistance.urls")),
    path("custody/", include("borderlink.custody.urls")),
    path("border/", include("borderlink.border.urls")),
    path("cases/", include("borderlink.cases.urls")),
    path("victims/", include("borderlink.victims.urls")),
    path("review/", include("borderlink.review.urls")),
    path("plans/", include("borderlink.plans.urls")),
    path("audit/", include("borderlink.audit.urls")),
    path("federation/v1/pass-check", pass_check, name="border-pass-check"),
    path("federation/", include("borderlink.federation.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", healthz, name="healthz"),
]

handler403 = core_views.forbidden
handler404 = core_views.not_found
