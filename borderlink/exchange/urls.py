from django.urls import path

from borderlink.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("outbox/", views.outbox, name="outbox"),
    path("approvals/", views.approvals, name="approvals"),
    path("compose/", views.compose, name="compose"),
    path("<str:message_id>/", views.detail, name="detail"),
    path("<str:message_id>/approve/", views.approve, name="approve"),
    path("<str:message_id>/reject/", views.reject, name="reject"),
    path("<str:message_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<str:message_id>/forward/", views.forward, name="forward"),
    path("<str:message_id>/attachments/<str:attachment_id>/", views.download, name="download"),
]
