from django.urls import path

from vorsprung.workspace.placeholder import placeholder

app_name = "customers"
urlpatterns = [
    path("organizations/", placeholder, name="organization_list"),
    path("organizations/<int:pk>/", placeholder, name="organization_detail"),
    path("contacts/", placeholder, name="contact_list"),
    path("contacts/<int:pk>/", placeholder, name="contact_detail"),
]
