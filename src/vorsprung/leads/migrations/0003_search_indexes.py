from django.db import migrations

from vorsprung.core.search_indexes import search_index_operation


class Migration(migrations.Migration):
    dependencies = [("leads", "0002_initial")]

    operations = [
        search_index_operation("leads_lead", ["last_name", "first_name", "email", "company"]),
    ]
