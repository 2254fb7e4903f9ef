from django.urls import path

from borderlink.custody import views

app_name = "custody"

urlpatterns = [
    path("", views.custody_list, name="list"),
    path("export.csv", views.export, name="export"),
    path("new/", views.custody_create, name="create"),
    path("<str:record_id>/", views.custody_detail, name="detail"),
    path("<str:record_id>/<str:action>/", views.step, name="step"),
]
