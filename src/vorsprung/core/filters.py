"""Free-text search for the lists (their other filters are in each app's filtersets.py)."""

import re

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Upper
from django.db.models.lookups import StartsWith

# Above this many matches a search term counts as common (see ``search``).
COMMON_MATCHES = 2000


def _field_conditions(
    term: str, text_fields: tuple[str, ...], phone_fields: tuple[str, ...], use_indexes: bool
) -> list[Q]:
    """One condition per field: text starting with ``term`` (any case), or phone numbers
    containing its digits when it looks like a phone number."""
    term = term.strip()
    if not term:
        return []
    conditions = []
    for field in text_fields:
        if use_indexes:
            conditions.append(Q(**{f"{field}__istartswith": term}))
        else:
            # The same test written so that no search index applies to it.
            conditions.append(Q(StartsWith(Upper(field), term.upper())))
    digits = re.sub(r"\D", "", term)
    if phone_fields and len(digits) >= 4 and len(digits) >= len(term.replace(" ", "")) - 2:
        national = digits.lstrip("0")
        conditions += [Q(**{f"{field}__contains": national}) for field in phone_fields]
    return conditions


def text_search(
    term: str,
    text_fields: tuple[str, ...],
    phone_fields: tuple[str, ...] = (),
    *,
    use_indexes: bool = True,
) -> Q:
    """Records whose text fields start with ``term`` (any case), or whose phone numbers
    contain its digits when it looks like a phone number."""
    if not term.strip():
        return Q()
    condition = Q(pk__in=[])
    for field_condition in _field_conditions(term, text_fields, phone_fields, use_indexes):
        condition |= field_condition
    return condition


def search(
    queryset: QuerySet, term: str, text_fields: tuple[str, ...], phone_fields=()
) -> QuerySet:
    """Filter ``queryset`` by a search term.

    A rare term is best found through the search indexes; a common one ("Sch") by
    walking the list in its order until a page is full. Neither database can be left to
    choose alone:

    - SQLite's planner does not weigh the two; one cheap probe through the indexes,
      within what the user may see, tells which kind of term this is.
    - PostgreSQL's planner guesses how many matches a user sees, and when it guesses
      many it walks the list's order index hoping to meet them: a sales rep who may see
      none of a term's matches had the whole contact list read in name order. So a term
      with few matches in the whole table has them fetched by id, narrowed to the
      visible ones without an order, and the list is ordered from that exact list.
    """
    condition = text_search(term, text_fields, phone_fields)
    if connection.vendor == "sqlite":
        probe = queryset.filter(condition).order_by().values("pk")[:COMMON_MATCHES]
        if probe.count() >= COMMON_MATCHES:
            condition = text_search(term, text_fields, phone_fields, use_indexes=False)
        return queryset.filter(condition)
    ids = _rare_matches(queryset.model, _field_conditions(term, text_fields, phone_fields, True))
    if ids is not None:
        visible = queryset.filter(pk__in=ids).order_by().values_list("pk", flat=True)
        return queryset.filter(pk__in=list(visible))
    return queryset.filter(condition)


def _rare_matches(model, conditions: list[Q]) -> set | None:
    """The ids matching any of ``conditions`` in the whole table, or None when there are
    ``COMMON_MATCHES`` or more. Each condition is looked up on its own, with a limit, so
    each index scan stops early (an OR would build the full bitmap of a common term's
    matches first)."""
    if not conditions:
        return set()
    lookups = [
        model._default_manager.filter(condition)
        .order_by()
        .values_list("pk", flat=True)[:COMMON_MATCHES]
        for condition in conditions
    ]
    found = lookups[0].union(*lookups[1:], all=True) if len(lookups) > 1 else lookups[0]
    ids = list(found)
    return None if len(ids) >= COMMON_MATCHES else set(ids)
