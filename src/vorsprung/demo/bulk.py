"""Writes rows to a model's table in large batches: COPY on PostgreSQL (with ids taken
from the table's sequence beforehand), multi-row INSERT … RETURNING on SQLite.

Rows are plain dicts keyed by field attname (``owner_id``, ``created_at``); missing fields
take the field's default. A foreign key may hold the referenced row's dict, which is
resolved to its id once that row is stored. ``bulk_create`` builds and compiles a model
instance per row, which is several times slower for the millions of rows demo data
needs; the database still checks every constraint."""

import datetime
import json
import operator
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models

Row = dict[str, Any]

# PostgreSQL's limit on parameters in one statement.
POSTGRES_MAX_PARAMETERS = 65_535
MAX_ROWS_PER_STATEMENT = 1_000


def _reference(value):
    return value["id"] if type(value) is dict else value


def _sqlite_datetime(value):
    # Django keeps SQLite datetimes as naive UTC text.
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is not datetime.UTC:
        value = value.astimezone(datetime.UTC)
    return str(value)[:-6]


def _iso(value):
    return value if value is None or isinstance(value, str) else value.isoformat()


def _decimal(value):
    return str(value) if isinstance(value, Decimal) else value


def _json(value):
    return json.dumps(value)


@dataclass
class _Table:
    name: str
    pk_column: str
    columns: list[str]
    attnames: list[str]
    defaults: dict[str, Any]
    # (column position, converter) for the columns whose values need converting.
    converters: list[tuple[int, Callable]]
    sequence: str | None = None

    def __post_init__(self) -> None:
        self.getter = operator.itemgetter(*self.attnames)


class RowWriter:
    """Stores rows of several models on the default connection; use inside a transaction."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.vendor = connection.vendor
        if self.vendor not in ("sqlite", "postgresql"):
            raise NotImplementedError(f"no bulk writer for {self.vendor}")
        if self.vendor == "sqlite":
            self.max_parameters = connection.connection.getlimit(
                sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
            )
        else:
            self.max_parameters = POSTGRES_MAX_PARAMETERS
        self._tables: dict[type[models.Model], _Table] = {}

    def _table(self, model: type[models.Model]) -> _Table:
        table = self._tables.get(model)
        if table is not None:
            return table
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        converters = []
        for f in fields:
            internal = f.get_internal_type()
            if f.is_relation:
                converters.append(_reference)
            elif internal == "JSONField":
                converters.append(_json)
            elif self.vendor == "postgresql":
                converters.append(None)
            elif internal == "DateTimeField":
                converters.append(_sqlite_datetime)
            elif internal == "DateField":
                converters.append(_iso)
            elif internal == "DecimalField":
                converters.append(_decimal)
            else:
                converters.append(None)
        table = _Table(
            name=model._meta.db_table,
            pk_column=model._meta.pk.column,
            columns=[f.column for f in fields],
            attnames=[f.attname for f in fields],
            defaults={f.attname: f.get_default() for f in fields},
            converters=[(i, convert) for i, convert in enumerate(converters) if convert],
        )
        self._tables[model] = table
        return table

    def _values(self, table: _Table, rows: Sequence[Row]) -> list[list]:
        defaults, getter, converters = table.defaults, table.getter, table.converters
        values = []
        for row in rows:
            value_row = list(getter(defaults | row))
            # A row's times are often one and the same object (created, updated, occurred).
            previous = converted = None
            for position, convert in converters:
                value = value_row[position]
                if convert is _sqlite_datetime and value is previous:
                    value_row[position] = converted
                else:
                    value_row[position] = result = convert(value)
                    previous, converted = value, result
            values.append(value_row)
        return values

    def insert(self, model: type[models.Model], rows: Sequence[Row], *, ids: bool) -> int:
        """Store ``rows``; with ``ids``, set each row's ``id`` to the one it was given."""
        if not rows:
            return 0
        table = self._table(model)
        values = self._values(table, rows)
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                self._copy(cursor, table, rows, values, ids=ids)
        else:
            self._insert_values(table, rows, values, ids=ids)
        return len(rows)

    def _copy(self, cursor, table: _Table, rows, values, *, ids: bool) -> None:
        quote = connection.ops.quote_name
        columns = list(table.columns)
        if ids:
            # Take the ids from the table's sequence first, so that COPY can write them.
            if table.sequence is None:
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)", [table.name, table.pk_column]
                )
                (table.sequence,) = cursor.fetchone()
            cursor.execute(
                "SELECT nextval(%s) FROM generate_series(1, %s)", [table.sequence, len(rows)]
            )
            new_ids = sorted(pk for (pk,) in cursor.fetchall())
            for row, value_row, pk in zip(rows, values, new_ids, strict=True):
                row["id"] = pk
                value_row.append(pk)
            columns.append(table.pk_column)
        names = ", ".join(quote(column) for column in columns)
        with cursor.cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
            for value_row in values:
                copy.write_row(value_row)

    def _insert_values(self, table: _Table, rows, values, *, ids: bool) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in table.columns)
        per_statement = max(
            1, min(MAX_ROWS_PER_STATEMENT, self.max_parameters // len(table.columns))
        )
        # sqlite3's own placeholders, on its own connection: Django's cursor would rewrite
        # each statement's tens of thousands of %s first. The transaction is Django's.
        placeholders = "(" + ", ".join(["?"] * len(table.columns)) + ")"
        returning = f" RETURNING {quote(table.pk_column)}" if ids else ""
        with closing(connection.connection.cursor()) as cursor:
            for start in range(0, len(values), per_statement):
                part = values[start : start + per_statement]
                sql = (
                    f"INSERT INTO {quote(table.name)} ({columns}) VALUES "
                    + ", ".join([placeholders] * len(part))
                    + returning
                )
                cursor.execute(sql, [value for value_row in part for value in value_row])
                if ids:
                    # Rows take their ids in the order they are listed; RETURNING need not
                    # report them in that order.
                    new_ids = sorted(pk for (pk,) in cursor.fetchall())
                    part_rows = rows[start : start + per_statement]
                    for row, pk in zip(part_rows, new_ids, strict=True):
                        row["id"] = pk

    def update(self, model: type[models.Model], attname: str, pairs: Sequence[tuple]) -> int:
        """Set ``attname`` to the first value of each pair on the row whose id is the second."""
        if not pairs:
            return 0
        table = self._table(model)
        column = table.columns[table.attnames.index(attname)]
        quote = connection.ops.quote_name
        name, column, pk_column = quote(table.name), quote(column), quote(table.pk_column)
        values = [_reference(value) for value, _pk in pairs]
        pks = [_reference(pk) for _value, pk in pairs]
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    f"UPDATE {name} SET {column} = changes.value "
                    "FROM unnest(%s, %s) AS changes(pk, value) "
                    f"WHERE {name}.{pk_column} = changes.pk",
                    [pks, values],
                )
            else:
                cursor.executemany(
                    f"UPDATE {name} SET {column} = %s WHERE {pk_column} = %s",
                    list(zip(values, pks, strict=True)),
                )
        return len(pairs)
