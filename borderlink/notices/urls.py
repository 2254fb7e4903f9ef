from django.urls import path

from borderlink.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("new/", views.notice_create, name="create"),
    path("search/", views.search, name="search"),
    path("hits/", views.hit_queue, name="hits"),
    path("hits/<str:hit_id>/decide/", views.decide, name="decide"),
    path("hits/<str:hit_id>/share/", views.share, name="share"),
    path("<str:notice_id>/", views.notice_detail, name="detail"),
    path("<str:notice_id>/edit/", views.notice_edit, name="edit"),
    path("<str:notice_id>/print/", views.notice_print, name="print"),
    path("<str:notice_id>/photos/<str:photo_id>/", views.photo, name="photo"),
    path("<str:notice_id>/submit/", views.submit, name="submit"),
    path("<str:notice_id>/approve/", views.approve, name="approve"),
    path("<str:notice_id>/suspend/", views.suspend, name="suspend"),
    path("<str:notice_id>/resume/", views.resume, name="resume"),
    path("<str:notice_id>/cancel/", views.cancel, name="cancel"),
    path("<str:notice_id>/resolve/", views.resolve, name="resolve"),
]
