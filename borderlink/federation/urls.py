from django.urls import path

from borderlink.federation import views

app_name = "federation"
urlpatterns = [
    path("v1/envelopes", views.envelopes, name="envelopes"),
    path("v1/search", views.search, name="search"),
]
