from django.db import migrations

from vorsprung.core.search_indexes import search_index_operation


class Migration(migrations.Migration):
    dependencies = [("sales", "0002_default_pipeline")]

    operations = [search_index_operation("sales_opportunity", ["name"])]
