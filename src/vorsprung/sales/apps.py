from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "vorsprung.sales"
    label = "sales"
    verbose_name = _("Pipelines and opportunities")

    def ready(self) -> None:
        from vorsprung.core.records import RecordKind, RecordType, register
        from vorsprung.sales import selectors
        from vorsprung.sales.models import Opportunity

        register(
            RecordKind(
                type=RecordType.OPPORTUNITY,
                model=Opportunity,
                get=selectors.opportunity_get,
                list=selectors.opportunity_list,
                detail_url="sales:opportunity_detail",
            )
        )
