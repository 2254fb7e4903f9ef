from django.urls import path

from borderlink.persons import views

app_name = "persons"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("<str:person_id>/", views.person_detail, name="detail"),
    path("<str:person_id>/edit/", views.person_edit, name="edit"),
]
