from django.urls import path

from vorsprung.sales import views

app_name = "sales"
urlpatterns = [
    path("opportunities/", views.opportunity_list, name="opportunity_list"),
    path("opportunities/new/", views.opportunity_create, name="opportunity_create"),
    path(
        "opportunities/organizations/",
        views.organization_options,
        name="organization_options",
    ),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/stage/", views.opportunity_stage, name="opportunity_stage"),
    path("opportunities/<int:pk>/won/", views.opportunity_won, name="opportunity_won"),
    path("opportunities/<int:pk>/lost/", views.opportunity_lost, name="opportunity_lost"),
    path(
        "opportunities/<int:pk>/contact-roles/",
        views.opportunity_contact_role_add,
        name="opportunity_contact_role_add",
    ),
    path(
        "opportunities/<int:pk>/contact-roles/<int:role_id>/remove/",
        views.opportunity_contact_role_remove,
        name="opportunity_contact_role_remove",
    ),
    path(
        "organizations/<int:pk>/opportunities/",
        views.organization_opportunities,
        name="organization_opportunities",
    ),
    path(
        "contacts/<int:pk>/opportunities/",
        views.contact_opportunities,
        name="contact_opportunities",
    ),
    path("board/", views.board, name="board"),
    path("board/columns/<int:stage_id>/", views.board_column, name="board_column"),
]
