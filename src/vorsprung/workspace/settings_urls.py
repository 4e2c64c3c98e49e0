from django.urls import path

from vorsprung.workspace.placeholder import placeholder

app_name = "settings"
urlpatterns = [path("", placeholder, name="index")]
