from django.urls import path

from borderlink.victims import views

app_name = "victims"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.identify, name="identify"),
    path("statistics/", views.figures, name="statistics"),
    path("export.csv", views.export, name="export"),
    path("facts/", views.facts_list, name="facts_list"),
    path("facts/<str:case_id>/", views.facts, name="facts"),
    path("<str:case_id>/", views.detail, name="detail"),
    path("<str:case_id>/share/", views.share, name="share"),
    path("<str:case_id>/verification/", views.link, name="link"),
    path("<str:case_id>/verification/answer/", views.answer, name="answer"),
    path("<str:case_id>/override/", views.override, name="override"),
    path("<str:case_id>/purge/", views.purge, name="purge"),
    path("<str:case_id>/step/<str:action>/", views.step, name="step"),
]
