from django.urls import path

from borderlink.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("invitations/<str:participant_id>/", views.invitation, name="invitation"),
    path("identifiers/", views.identifier_search, name="identifiers"),
    path("identifiers/draft-request/", views.draft_request, name="draft_request"),
    path("identifiers/invite/", views.invite_from_hit, name="invite_from_hit"),
    path("<str:case_id>/", views.case_detail, name="detail"),
    path("<str:case_id>/step/<str:action>/", views.step, name="step"),
    path("<str:case_id>/entities/", views.add_entity, name="add_entity"),
    path("<str:case_id>/entities/<str:entity_id>/", views.entity_detail, name="entity"),
    path("<str:case_id>/links/", views.add_link, name="add_link"),
    path("<str:case_id>/notes/", views.add_note, name="add_note"),
    path("<str:case_id>/tasks/", views.add_task, name="add_task"),
    path("<str:case_id>/tasks/<str:task_id>/<str:action>/", views.task_step, name="task_step"),
    path("<str:case_id>/invite/", views.invite, name="invite"),
    path("<str:case_id>/invite/send/", views.send_invitations, name="send_invitations"),
    path("<str:case_id>/requests/", views.link_request, name="link_request"),
    path("<str:case_id>/requests/<int:link_id>/unlink/", views.unlink_request, name="unlink_request"),
    path("<str:case_id>/share/<str:kind>/<str:item_id>/", views.share, name="share"),
    path("<str:case_id>/same-person/<int:candidate_id>/<str:state>/", views.same_person, name="same_person"),
    path("<str:case_id>/request-person/<int:match_id>/<str:state>/", views.request_person, name="request_person"),
    path("<str:case_id>/graph/", views.graph_page, name="graph"),
    path("<str:case_id>/graph.<str:fmt>", views.graph_export, name="graph_export"),
]
