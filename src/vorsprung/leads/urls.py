from django.urls import path

from vorsprung.workspace.placeholder import placeholder

app_name = "leads"
urlpatterns = [
    path("", placeholder, name="list"),
    path("<int:pk>/", placeholder, name="detail"),
]
