"""The status, stage and lifecycle changes recorded before the history app existed become
its first entries: the first change of a record is its creation, a lead's move to
``converted`` its conversion; stages keep the names they had, choice values are labelled
when shown."""

from django.db import migrations

COPY = """
INSERT INTO history_change
    (record_type, record_id, action, field, old_value, new_value, old_label, new_label,
     note, actor_id, door, token_prefix, at)
SELECT record_type, record_id,
       CASE WHEN from_value = '' THEN 'created'
            WHEN field = 'status' AND to_value = 'converted' THEN 'converted'
            ELSE 'updated' END,
       field, from_value, to_value,
       CASE WHEN field = 'stage' THEN from_label ELSE '' END,
       CASE WHEN field = 'stage' THEN to_label ELSE '' END,
       note, actor_id, 'system', '', changed_at
FROM activities_statechange
ORDER BY changed_at, id
"""


def copy_state_changes(apps, schema_editor):
    schema_editor.execute(COPY)


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0001_initial"),
        ("activities", "0003_list_indexes"),
    ]

    operations = [
        migrations.RunPython(copy_state_changes, migrations.RunPython.noop, elidable=False),
    ]
