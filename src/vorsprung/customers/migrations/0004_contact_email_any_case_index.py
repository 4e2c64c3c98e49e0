from django.db import migrations

from vorsprung.core.search_indexes import search_index_operation


class Migration(migrations.Migration):
    """The convert wizard finds a lead's contact by e-mail in any case: that needs the
    case-insensitive index on the contact's address that the search index replaced."""

    dependencies = [
        ("customers", "0003_contact_search_document_organization_search_document"),
    ]

    operations = [search_index_operation("customers_contact", ["email"])]
