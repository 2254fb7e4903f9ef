from django.urls import path

from borderlink.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("conferences/", views.conference_list, name="conferences"),
    path("conferences/<int:year>/statement/", views.conference_statement, name="statement"),
    path("visits/", views.visit_list, name="visits"),
    path("training/", views.training_list, name="training"),
    path("items/<str:item_id>/sources/", views.item_sources, name="item_sources"),
    path("items/<str:item_id>/progress/", views.item_progress, name="item_progress"),
    path("evidence/<int:attachment_id>/", views.evidence, name="evidence"),
    path("<str:plan_id>/", views.plan_detail, name="detail"),
    path("<str:plan_id>/dashboard/", views.dashboard, name="dashboard"),
    path("<str:plan_id>/version/", views.plan_version, name="version"),
    path("<str:plan_id>/step/<str:step>/", views.plan_step, name="step"),
]
