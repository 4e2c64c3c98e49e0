from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "vorsprung.customers"
    label = "customers"
    verbose_name = _("Organizations and contacts")

    def ready(self) -> None:
        from vorsprung.core.records import RecordKind, RecordType, register
        from vorsprung.customers import selectors
        from vorsprung.customers.models import Contact, Organization
        from vorsprung.customers.search import contact_search_document, organization_search_document

        register(
            RecordKind(
                type=RecordType.ORGANIZATION,
                model=Organization,
                get=selectors.organization_get,
                list=selectors.organization_list,
                detail_url="customers:organization_detail",
                search_document=organization_search_document,
            )
        )
        register(
            RecordKind(
                type=RecordType.CONTACT,
                model=Contact,
                get=selectors.contact_get,
                list=selectors.contact_list,
                detail_url="customers:contact_detail",
                search_document=contact_search_document,
            )
        )
