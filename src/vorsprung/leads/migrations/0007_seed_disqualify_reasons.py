from django.db import migrations

REASONS = [
    "No budget",
    "No need",
    "Not a decision maker",
    "Bad timing",
    "Went with a competitor",
    "Could not be reached",
    "Duplicate",
    "Spam or fake",
    "Other",
]


def seed(apps, schema_editor):
    DisqualifyReason = apps.get_model("leads", "DisqualifyReason")
    for position, label in enumerate(REASONS):
        DisqualifyReason.objects.get_or_create(label=label, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("leads", "0006_disqualify_reasons_and_conversion_policy")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
