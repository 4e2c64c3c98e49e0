from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "vorsprung.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from vorsprung.activities import selectors
        from vorsprung.activities.models import Activity
        from vorsprung.core.records import RecordKind, RecordType, register

        register(
            RecordKind(
                type=RecordType.ACTIVITY,
                model=Activity,
                get=selectors.activity_get,
                list=selectors.activity_list,
            )
        )
