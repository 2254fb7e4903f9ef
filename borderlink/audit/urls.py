from django.urls import path

from borderlink.audit import views

app_name = "audit"
urlpatterns = [path("", views.log, name="log")]
