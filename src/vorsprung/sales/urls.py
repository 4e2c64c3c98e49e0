from django.urls import path

from vorsprung.workspace.placeholder import placeholder

app_name = "sales"
urlpatterns = [
    path("opportunities/", placeholder, name="opportunity_list"),
    path("opportunities/<int:pk>/", placeholder, name="opportunity_detail"),
    path("board/", placeholder, name="board"),
]
