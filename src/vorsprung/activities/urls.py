from django.urls import path

from vorsprung.workspace.placeholder import placeholder

app_name = "activities"
urlpatterns = [
    path("tasks/", placeholder, name="tasks"),
    path("activities/<int:pk>/complete/", placeholder, name="complete"),
]
