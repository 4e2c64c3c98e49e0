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
        from vorsprung.sales.search import opportunity_search_document

        register(
            RecordKind(
                type=RecordType.OPPORTUNITY,
                model=Opportunity,
                get=selectors.opportunity_get,
                list=selectors.opportunity_list,
                detail_url="sales:opportunity_detail",
                search_document=opportunity_search_document,
            )
        )
