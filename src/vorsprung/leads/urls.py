from django.urls import path

from vorsprung.leads import conversion_wizard, views

app_name = "leads"
urlpatterns = [
    path("", views.lead_list_view, name="list"),
    path("new/", views.lead_create_view, name="create"),
    path("bulk/", views.lead_bulk_view, name="bulk"),
    path("<int:pk>/", views.lead_detail_view, name="detail"),
    path("<int:pk>/edit/", views.lead_edit_view, name="edit"),
    path("<int:pk>/status/", views.lead_status_view, name="status"),
    path("<int:pk>/qualification/", views.lead_qualification_view, name="qualification"),
    path("<int:pk>/convert/", conversion_wizard.convert_view, name="convert"),
    path(
        "<int:pk>/convert/search/<str:kind>/",
        conversion_wizard.convert_search_view,
        name="convert_search",
    ),
]
