"""Indexes that let prefix searches ("q") use an index on both databases.

Django's ``istartswith`` becomes ``UPPER(col::text) LIKE 'AB%'`` on PostgreSQL and
``col LIKE 'ab%'`` (case-insensitive) on SQLite. PostgreSQL needs an expression index
with ``text_pattern_ops``; SQLite needs an index with ``COLLATE NOCASE``. Neither can be
declared portably in ``Meta.indexes``, so migrations create them per database.
"""

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


def search_index_operation(table: str, columns: list[str]) -> migrations.RunPython:
    def create(apps, schema_editor):
        for column in columns:
            sql, _ = _statements(schema_editor.connection.vendor, table, column)
            if sql:
                schema_editor.execute(sql)

    def drop(apps, schema_editor):
        for column in columns:
            _, sql = _statements(schema_editor.connection.vendor, table, column)
            if sql:
                schema_editor.execute(sql)

    return migrations.RunPython(create, drop, elidable=False)
