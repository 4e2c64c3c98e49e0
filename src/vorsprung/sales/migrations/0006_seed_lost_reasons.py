from django.db import migrations

REASONS = [
    "Price",
    "Went with a competitor",
    "No decision",
    "Timing",
    "Missing features",
    "Budget cut",
    "Other",
]


def seed(apps, schema_editor):
    LostReason = apps.get_model("sales", "LostReason")
    for position, label in enumerate(REASONS):
        LostReason.objects.get_or_create(label=label, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("sales", "0005_lost_reasons")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
