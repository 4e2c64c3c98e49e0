"""Keyset (cursor) pagination: the next page starts after the last row seen, so page
1,000 costs what page 1 costs. Orderings are on one non-null field plus the id."""

import base64
import binascii
import json
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils.translation import gettext as _

from vorsprung.core.errors import ValidationError

# Set on a query compiled to read from its ``candidate_rows``: conditions that those
# rows already pass may compile to TRUE.
READING_CANDIDATE_ROWS = "reading_candidate_rows"


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None


def _encode(ordering: str, value, pk) -> str:
    raw = json.dumps([ordering, None if value is None else str(value), pk], default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, ordering: str, model):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, raw_value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        field = model._meta.get_field(ordering.lstrip("-"))
        value = field.to_python(raw_value)
        pk = int(pk)
        if not 0 < pk < 2**63:
            raise ValueError(pk)
    except (
        ValueError,
        TypeError,
        LookupError,
        OverflowError,
        binascii.Error,
        ValidationError,
    ) as exc:
        raise ValidationError(
            {"cursor": [_("This cursor is not valid; start again from the first page.")]}
        ) from exc
    if value is None:
        # Orderings are on fields without nulls; a null here was not made by us.
        raise ValidationError(
            {"cursor": [_("This cursor is not valid; start again from the first page.")]}
        )
    if name != ordering:
        raise ValidationError(
            {
                "cursor": [
                    _("This cursor belongs to another ordering; start again from the first page.")
                ]
            }
        )
    return value, pk


def _first_rows(queryset: QuerySet, count: int) -> list:
    """The first ``count`` rows. A queryset narrowed to a few thousand candidate ids (a
    search, see ``vorsprung.search``) has all of them read and sorted: sorting just
    their keys, then reading the page's rows, costs less than sorting whole rows with
    their related records."""
    if not getattr(queryset.query, "few_candidates", False):
        return list(queryset[:count])
    return rows_of_keys(queryset, read_keys(queryset.values_list("pk", flat=True)[:count]))


def rows_of_keys(queryset: QuerySet, keys: list) -> list:
    """The rows of ``queryset`` with these primary keys, in their order, with the related
    records the queryset selects. The keys must have passed its filters already: only an
    annotated queryset is asked again, for its annotations."""
    if queryset.query.annotations:
        found = queryset.order_by().in_bulk(keys)
    else:
        rows = queryset.model._default_manager.all()
        rows.query.select_related = queryset.query.select_related
        found = rows.prefetch_related(*queryset._prefetch_related_lookups).in_bulk(keys)
    return [found[pk] for pk in keys if pk in found]


def read_keys(keys: QuerySet) -> list:
    """The keys' query run as it is, or, when the queryset names the rows its candidates
    come from (``query.candidate_rows``: SQL and parameters, every row it can match, read
    through an index), run on those rows alone. Planners misjudge a list ordered and
    limited over an index condition: they walk the ordering's index testing every row,
    where reading the few thousand rows the index names and sorting them is a hundred
    times faster, and reading them again by id costs three times as much."""
    rows = getattr(keys.query, "candidate_rows", None)
    if rows is None:
        return list(keys)
    query = keys.query.clone()
    setattr(query, READING_CANDIDATE_ROWS, True)
    sql, params = query.sql_with_params()
    table = connection.ops.quote_name(keys.model._meta.db_table)
    # The query's own table, not a subquery's (those name theirs with an alias).
    found = re.search(rf"\bFROM {re.escape(table)}(?!\s+[A-Z]\d+\b)", sql)
    if found is None:
        return list(keys)
    before = sql[: found.start()].count("%s")
    rows_sql, rows_params = rows
    sql = f"{sql[: found.start()]}FROM ({rows_sql} OFFSET 0) {table}{sql[found.end() :]}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params[:before], *rows_params, *params[before:]])
        return [row[0] for row in cursor.fetchall()]


def keyset_page(queryset: QuerySet, *, ordering: str, cursor: str | None, limit: int) -> Page:
    field = ordering.lstrip("-")
    descending = ordering.startswith("-")
    sign = "-" if descending else ""
    queryset = queryset.order_by(f"{sign}{field}", f"{sign}pk")
    if cursor:
        value, pk = _decode(cursor, ordering, queryset.model)
        # A row-value comparison, (field, id) < (value, pk), lets the database start the
        # index scan at the cursor; the equivalent OR of two conditions makes it walk
        # every row before the cursor first.
        # SQLite gets the OR form from Django; the plain bound on the field beside it
        # still lets it start the scan at the cursor.
        after = TupleLessThan if descending else TupleGreaterThan
        bound = {f"{field}__lte" if descending else f"{field}__gte": value}
        queryset = queryset.filter(after(Tuple(F(field), F("pk")), (value, pk)), **bound)
    rows = _first_rows(queryset, limit + 1)
    if len(rows) <= limit:
        return Page(items=rows, next_cursor=None)
    last = rows[limit - 1]
    return Page(items=rows[:limit], next_cursor=_encode(ordering, getattr(last, field), last.pk))
