"""Writes to the search index: filling documents in bulk and rebuilding the index.

A single record's document is written with the record itself (see ``apps``: it is set
just before the row is saved, in the same transaction); these functions serve migrations
and ``vorsprung search rebuild``."""

from collections.abc import Callable

from django.db import connection, transaction

from vorsprung.core.records import record_kind, record_kinds
from vorsprung.search.schema import drop_sqlite_triggers, ensure_search_schema

BATCH = 2000


def search_documents_fill(
    model, compute: Callable, *, on_progress: Callable[[int], None] | None = None
) -> int:
    """Compute and store the search document of every row of ``model`` (a model class,
    historical ones included) in batches; returns how many rows were written."""
    table = model._meta.db_table
    sql = f'UPDATE "{table}" SET search_document = %s WHERE id = %s'
    done = 0
    last = 0
    while True:
        with transaction.atomic():
            rows = list(model._default_manager.filter(pk__gt=last).order_by("pk")[:BATCH])
            if not rows:
                return done
            with connection.cursor() as cursor:
                cursor.executemany(sql, [(compute(row), row.pk) for row in rows])
        last = rows[-1].pk
        done += len(rows)
        if on_progress:
            on_progress(done)


def search_rebuild(
    *, record_types: list[str] | None = None, on_progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Recompute every search document of the given record types (all searchable ones by
    default) and recreate what is missing of the index; returns the rows per type."""
    kinds = (
        [record_kind(name) for name in record_types]
        if record_types
        else [kind for kind in record_kinds() if kind.search_document]
    )
    for kind in kinds:
        if not kind.search_document:
            raise LookupError(f"{kind.type} records are not searchable")
    if connection.vendor == "sqlite":
        # The FTS5 tables are rebuilt whole at the end; kept in step by their triggers
        # meanwhile, every changed document would be indexed twice.
        for kind in kinds:
            drop_sqlite_triggers(connection, kind.model._meta.db_table)
    written = {}
    try:
        for kind in kinds:
            written[kind.type] = search_documents_fill(
                kind.model,
                kind.search_document,
                on_progress=(lambda done, name=kind.type: on_progress(name, done))
                if on_progress
                else None,
            )
    finally:
        # Creates what is missing (the triggers just dropped), and rebuilds the FTS5
        # tables whose triggers were missing.
        ensure_search_schema(connection)
    return written
