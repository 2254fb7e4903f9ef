from django.urls import path

from borderlink.review import views

app_name = "review"

urlpatterns = [
    path("", views.page, name="page"),
    path("generate/", views.generate, name="generate"),
    path("share/", views.share, name="share"),
    path("files/<str:report_id>/", views.download, name="download"),
    path("<int:year>/records/<str:figure>/", views.records, name="records"),
]
