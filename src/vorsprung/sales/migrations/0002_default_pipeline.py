from django.db import migrations

DEFAULT_STAGES = [
    # name, probability, forecast category, won, lost
    ("Qualification", 10, "pipeline", False, False),
    ("Needs analysis", 25, "pipeline", False, False),
    ("Proposal", 50, "best_case", False, False),
    ("Negotiation", 75, "commit", False, False),
    ("Closed won", 100, "closed", True, False),
    ("Closed lost", 0, "omitted", False, True),
]


def create_default_pipeline(apps, schema_editor):
    Pipeline = apps.get_model("sales", "Pipeline")
    Stage = apps.get_model("sales", "Stage")
    if Pipeline.objects.exists():
        return
    pipeline = Pipeline.objects.create(name="Sales", is_default=True)
    for position, (name, probability, forecast, won, lost) in enumerate(DEFAULT_STAGES):
        Stage.objects.create(
            pipeline=pipeline,
            name=name,
            position=position,
            probability=probability,
            forecast_category=forecast,
            is_won=won,
            is_lost=lost,
        )


def remove_default_pipeline(apps, schema_editor):
    apps.get_model("sales", "Pipeline").objects.filter(name="Sales", is_default=True).delete()


class Migration(migrations.Migration):
    dependencies = [("sales", "0001_initial")]

    operations = [migrations.RunPython(create_default_pipeline, remove_default_pipeline)]
