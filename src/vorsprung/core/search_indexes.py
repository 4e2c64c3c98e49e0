"""Indexes that let prefix searches ("q") use an index on both databases.

Django's ``istartswith`` becomes ``UPPER(col::text) LIKE 'AB%'`` on PostgreSQL and
``col LIKE 'ab%'`` (case-insensitive) on SQLite. PostgreSQL needs an expression index
with ``text_pattern_ops``; SQLite needs an index with ``COLLATE NOCASE``. Neither can be
declared portably in ``Meta.indexes``, so migrations create them per database. On SQLite,
Django rebuilds a table to alter a column and keeps only the indexes it knows, so after
every ``migrate`` the indexes below are created again where missing.
"""

from django.db import migrations

SEARCH_INDEXES = {
    "leads_lead": ["last_name", "first_name", "email", "company"],
    "customers_contact": ["last_name", "first_name", "email"],
    "customers_organization": ["name", "domain"],
    "sales_opportunity": ["name"],
}


def ensure_search_indexes(connection) -> None:
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table, columns in SEARCH_INDEXES.items():
            if table not in tables:
                continue
            for column in columns:
                sql, _ = _statements(connection.vendor, table, column)
                if sql:
                    cursor.execute(sql)


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
