from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "vorsprung.leads"
    label = "leads"
    verbose_name = _("Leads")

    def ready(self) -> None:
        from vorsprung.core.records import RecordKind, RecordType, register
        from vorsprung.leads import selectors, services
        from vorsprung.leads.models import Lead
        from vorsprung.leads.search import lead_search_document

        register(
            RecordKind(
                type=RecordType.LEAD,
                model=Lead,
                get=selectors.lead_get,
                list=selectors.lead_list,
                detail_url="leads:detail",
                lock=services.lead_lock,
                activity_logged=services.lead_activity_logged,
                search_document=lead_search_document,
            )
        )
