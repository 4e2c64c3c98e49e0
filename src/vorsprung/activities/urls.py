from django.urls import path, register_converter

from vorsprung.activities import views
from vorsprung.activities.services import LINKS


class RecordTypeConverter:
    """lead, contact, organization or opportunity; anything else does not match (404)."""

    regex = "|".join(LINKS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(RecordTypeConverter, "record_type")

app_name = "activities"
urlpatterns = [
    path("tasks/", views.tasks, name="tasks"),
    path("activities/<int:pk>/complete/", views.complete, name="complete"),
    path("timeline/<record_type:record_type>/<int:pk>/", views.timeline, name="timeline"),
    path("timeline/<record_type:record_type>/<int:pk>/log/", views.log, name="log"),
]
