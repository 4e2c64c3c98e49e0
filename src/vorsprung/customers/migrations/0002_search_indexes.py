from django.db import migrations

from vorsprung.core.search_indexes import search_index_operation


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [
        search_index_operation("customers_contact", ["last_name", "first_name", "email"]),
        search_index_operation("customers_organization", ["name", "domain"]),
    ]
