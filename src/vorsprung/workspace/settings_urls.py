from django.urls import path, re_path

from vorsprung.workspace import settings_views as views

REASONS = r"(?P<kind>lost-reasons|disqualification-reasons)"

app_name = "settings"
urlpatterns = [
    path("", views.index, name="index"),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("teams/", views.teams, name="teams"),
    path("teams/new/", views.team_new, name="team_new"),
    path("teams/<int:pk>/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/delete/", views.team_remove, name="team_delete"),
    path("exchange-rates/", views.exchange_rates, name="exchange_rates"),
    path(
        "exchange-rates/<int:pk>/delete/", views.exchange_rate_remove, name="exchange_rate_delete"
    ),
    path("pipelines/", views.pipelines, name="pipelines"),
    path("pipelines/new/", views.pipeline_new, name="pipeline_new"),
    path("pipelines/<int:pk>/", views.pipeline_edit, name="pipeline_edit"),
    path("pipelines/<int:pk>/stages/", views.pipeline_stages, name="pipeline_stages"),
    path("pipelines/<int:pk>/delete/", views.pipeline_remove, name="pipeline_delete"),
    path("lost-reasons/", views.reason_list, {"kind": "lost-reasons"}, name="lost_reasons"),
    path(
        "disqualification-reasons/",
        views.reason_list,
        {"kind": "disqualification-reasons"},
        name="disqualification_reasons",
    ),
    re_path(rf"^{REASONS}/(?P<pk>[0-9]+)/$", views.reason_update, name="reason_update"),
    re_path(rf"^{REASONS}/(?P<pk>[0-9]+)/retire/$", views.reason_retire, name="reason_retire"),
    re_path(rf"^{REASONS}/(?P<pk>[0-9]+)/delete/$", views.reason_delete, name="reason_delete"),
    path("conversion/", views.conversion, name="conversion"),
]
