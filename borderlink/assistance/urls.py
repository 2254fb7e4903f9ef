from django.urls import path

from borderlink.assistance import views

app_name = "assistance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.request_create, name="create"),
    path("<str:request_id>/", views.request_detail, name="detail"),
    path("<str:request_id>/edit/", views.request_edit, name="edit"),
    path("<str:request_id>/submit/", views.submit, name="submit"),
    path("<str:request_id>/approve/", views.approve, name="approve"),
    path("<str:request_id>/return/", views.return_to_author, name="return"),
    path("<str:request_id>/accept/", views.accept, name="accept"),
    path("<str:request_id>/clarify/", views.clarify, name="clarify"),
    path("<str:request_id>/decline/", views.decline, name="decline"),
    path("<str:request_id>/answer/", views.answer, name="answer"),
    path("<str:request_id>/close/", views.close, name="close"),
    path("<str:request_id>/handover/<str:action>/", views.handover, name="handover"),
    path("<str:request_id>/attachments/<int:attachment_id>/", views.download, name="download"),
]
