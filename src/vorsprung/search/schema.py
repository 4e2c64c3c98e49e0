"""The search index's database objects for each searchable table.

Each searchable record keeps its search document in its own ``search_document`` column
(see ``documents``), so that a list can test it while it walks its own order. On top of
that column:

- PostgreSQL: a GIN index on ``to_tsvector('simple', search_document)`` (full-text search
  with prefixes of words) and a GIN trigram index (``pg_trgm``) that finds a term inside
  a word ("pharma" in "Nordpharma").
- SQLite: an FTS5 table over the column (external content, the record's id as rowid),
  kept in step by triggers in the same transaction as the change.

Django rebuilds a SQLite table to alter one of its columns and keeps only what it knows,
so after every ``migrate`` the triggers are created again where missing, and the FTS5
table is rebuilt from the column when they were.
"""

from django.db import migrations

# Tables whose records carry a search document, with the app that owns each.
SEARCH_TABLES = ("leads_lead", "customers_contact", "customers_organization", "sales_opportunity")

TSVECTOR = "to_tsvector('simple'::regconfig, COALESCE(search_document, ''))"


def fts_table(table: str) -> str:
    return f"{table}_fts"


def _postgresql(table: str) -> list[tuple[str, str]]:
    return [
        ("pg_trgm", "CREATE EXTENSION IF NOT EXISTS pg_trgm"),
        (
            f"{table}_search_fts",
            f'CREATE INDEX IF NOT EXISTS "{table}_search_fts" ON "{table}" '
            f"USING gin (({TSVECTOR}))",
        ),
        (
            f"{table}_search_trgm",
            f'CREATE INDEX IF NOT EXISTS "{table}_search_trgm" ON "{table}" '
            "USING gin (search_document gin_trgm_ops)",
        ),
    ]


def _sqlite_triggers(table: str) -> list[str]:
    fts = fts_table(table)
    delete = (
        f"INSERT INTO {fts}({fts}, rowid, search_document) "
        "VALUES ('delete', old.id, old.search_document);"
    )
    insert = f"INSERT INTO {fts}(rowid, search_document) VALUES (new.id, new.search_document);"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF search_document ON {table} "
        f"WHEN old.search_document IS NOT new.search_document BEGIN {delete} {insert} END",
    ]


def ensure_search_schema(connection, tables=SEARCH_TABLES) -> None:
    """Create what is missing of the search index for ``tables`` (those that exist and
    have their ``search_document`` column)."""
    present = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in tables:
            if table not in present or not _has_document(connection, cursor, table):
                continue
            if connection.vendor == "postgresql":
                _ensure_postgresql(cursor, table)
            elif connection.vendor == "sqlite":
                _ensure_sqlite(cursor, table)


def _has_document(connection, cursor, table: str) -> bool:
    columns = connection.introspection.get_table_description(cursor, table)
    return any(column.name == "search_document" for column in columns)


def _ensure_postgresql(cursor, table: str) -> None:
    # Only what is missing: CREATE INDEX, even IF NOT EXISTS, fails in a transaction
    # that has pending constraint checks.
    cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
    present = {row[0] for row in cursor.fetchall()}
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    if cursor.fetchone():
        present.add("pg_trgm")
    for name, statement in _postgresql(table):
        if name not in present:
            cursor.execute(statement)


def _ensure_sqlite(cursor, table: str) -> None:
    fts = fts_table(table)
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(search_document, "
        f"content='{table}', content_rowid='id', tokenize='unicode61 remove_diacritics 0', "
        "prefix='2 3')"
    )
    cursor.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
    )
    had_triggers = cursor.fetchone()[0] >= 3
    for statement in _sqlite_triggers(table):
        cursor.execute(statement)
    if not had_triggers:
        cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def drop_search_schema(connection, table: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f'DROP INDEX IF EXISTS "{table}_search_fts"')
            cursor.execute(f'DROP INDEX IF EXISTS "{table}_search_trgm"')
        elif connection.vendor == "sqlite":
            drop_sqlite_triggers(connection, table)
            cursor.execute(f"DROP TABLE IF EXISTS {fts_table(table)}")


def drop_sqlite_triggers(connection, table: str) -> None:
    """Stop keeping ``table``'s FTS5 table in step; ``ensure_search_schema`` creates the
    triggers again and then rebuilds the FTS5 table from the documents."""
    fts = fts_table(table)
    with connection.cursor() as cursor:
        for suffix in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")


def search_schema_operation(table: str) -> migrations.RunPython:
    """A migration step creating ``table``'s search index (and dropping it backwards)."""

    def create(apps, schema_editor):
        ensure_search_schema(schema_editor.connection, (table,))

    def drop(apps, schema_editor):
        drop_search_schema(schema_editor.connection, table)

    return migrations.RunPython(create, drop, elidable=False)
