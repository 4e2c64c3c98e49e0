from django.contrib import admin
from django.urls import include, path

from vorsprung.api import api

admin.site.site_header = "Vorsprung"
admin.site.site_title = "Vorsprung"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("leads/", include("vorsprung.leads.urls")),
    path("", include("vorsprung.sales.urls")),
    path("", include("vorsprung.customers.urls")),
    path("", include("vorsprung.activities.urls")),
    path("settings/", include("vorsprung.workspace.settings_urls")),
    path("", include("vorsprung.workspace.urls")),
]
