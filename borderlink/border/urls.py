from django.urls import path

from borderlink.border import meeting_views, views

app_name = "border"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("export.csv", views.export, name="export"),
    path("new/", views.incident_create, name="create"),
    path("pairs/", views.pairs, name="pairs"),
    path("passes/", views.pass_list, name="passes"),
    path("passes/new/", views.pass_create, name="pass_create"),
    path("passes/check/", views.pass_check, name="check"),
    path("passes/<str:pass_id>/", views.pass_detail, name="pass"),
    path("passes/<str:pass_id>/revoke/", views.pass_revoke, name="pass_revoke"),
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings/new/", meeting_views.meeting_create, name="meeting_create"),
    path("meetings/schedules/new/", meeting_views.schedule_create, name="schedule_create"),
    path("meetings/schedules/<str:schedule_id>/stop/", meeting_views.schedule_stop, name="schedule_stop"),
    path("meetings/<str:meeting_id>/", meeting_views.meeting_detail, name="meeting"),
    path("meetings/<str:meeting_id>/print/", meeting_views.meeting_print, name="meeting_print"),
    path("meetings/<str:meeting_id>/step/<str:step>/", meeting_views.meeting_step, name="meeting_step"),
    path("<str:incident_id>/", views.incident_detail, name="detail"),
    path("<str:incident_id>/settle/", views.incident_settle, name="settle"),
    path("<str:incident_id>/approve/", views.incident_approve, name="approve"),
]
