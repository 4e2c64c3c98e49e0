from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from vorsprung.api import api

admin.site.site_header = "Vorsprung"
admin.site.site_title = "Vorsprung"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
