"""Case-insensitive indexes on single columns. Earlier migrations created them for
searching ("q"); the search index (``vorsprung.search``) replaced those, and later
migrations drop them. The contact's e-mail keeps one: the convert wizard matches a lead's
address in any case."""

from django.db import migrations


def _statements(vendor: str, table: str, column: str) -> tuple[str, str]:
    name = f"{table}_{column}_search"[:63]
    if vendor == "postgresql":
        create = (
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'(UPPER("{column}"::text) text_pattern_ops)'
        )
    elif vendor == "sqlite":
        create = f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}" COLLATE NOCASE)'
    else:
        return "", ""
    return create, f'DROP INDEX IF EXISTS "{name}"'


def _run(table: str, columns: list[str], which: int):
    def step(apps, schema_editor):
        for column in columns:
            sql = _statements(schema_editor.connection.vendor, table, column)[which]
            if sql:
                schema_editor.execute(sql)

    return step


def search_index_operation(table: str, columns: list[str]) -> migrations.RunPython:
    return migrations.RunPython(_run(table, columns, 0), _run(table, columns, 1), elidable=False)


def drop_search_index_operation(table: str, columns: list[str]) -> migrations.RunPython:
    return migrations.RunPython(_run(table, columns, 1), _run(table, columns, 0), elidable=False)
