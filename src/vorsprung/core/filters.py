"""Filters every list shares: owner's team, created/updated ranges, free-text search."""

import re

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Upper
from django.db.models.lookups import StartsWith

from vorsprung.accounts.models import User


def as_list(value) -> list:
    return list(value) if isinstance(value, list | tuple | set) else [value]


def normalise_filter_values(filters: dict) -> dict:
    """Country codes in any case ("de" finds "DE"), as they are accepted on input."""
    if filters.get("country"):
        filters = {
            **filters,
            "country": [str(c).strip().upper() for c in as_list(filters["country"])],
        }
    return filters


def apply_common_filters(queryset: QuerySet, filters: dict) -> QuerySet:
    if filters.get("team"):
        members = User.objects.filter(team_id__in=as_list(filters["team"])).values("pk")
        queryset = queryset.filter(owner_id__in=members)
    for name, lookup in (
        ("created_after", "created_at__gte"),
        ("created_before", "created_at__lt"),
        ("updated_after", "updated_at__gte"),
        ("updated_before", "updated_at__lt"),
    ):
        if filters.get(name) is not None:
            queryset = queryset.filter(**{lookup: filters[name]})
    return queryset


# Above this many matches a search term counts as common (see ``search``).
COMMON_MATCHES = 2000


def text_search(
    term: str,
    text_fields: tuple[str, ...],
    phone_fields: tuple[str, ...] = (),
    *,
    use_indexes: bool = True,
) -> Q:
    """Records whose text fields start with ``term`` (any case), or whose phone numbers
    contain its digits when it looks like a phone number."""
    term = term.strip()
    if not term:
        return Q()
    condition = Q(pk__in=[])
    for field in text_fields:
        if use_indexes:
            condition |= Q(**{f"{field}__istartswith": term})
        else:
            # The same test written so that no search index applies to it.
            condition |= Q(StartsWith(Upper(field), term.upper()))
    digits = re.sub(r"\D", "", term)
    if phone_fields and len(digits) >= 4 and len(digits) >= len(term.replace(" ", "")) - 2:
        national = digits.lstrip("0")
        for field in phone_fields:
            condition |= Q(**{f"{field}__contains": national})
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
    everywhere = queryset.model._default_manager.filter(condition).order_by()
    ids = list(everywhere.values_list("pk", flat=True)[:COMMON_MATCHES])
    if len(ids) < COMMON_MATCHES:
        visible = queryset.filter(pk__in=ids).order_by().values_list("pk", flat=True)
        return queryset.filter(pk__in=list(visible))
    return queryset.filter(condition)
