from django.urls import path

from borderlink.audit.federation import checkpoints_view
from borderlink.federation import views

app_name = "federation"
urlpatterns = [
    path("v1/envelopes", views.envelopes, name="envelopes"),
    path("v1/search", views.search, name="search"),
    path("v1/checkpoints", checkpoints_view, name="checkpoints"),
]
