"""Filters every list shares: owner's team, created/updated ranges, free-text search."""

import re

from django.db.models import Q, QuerySet

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


def text_search(term: str, text_fields: tuple[str, ...], phone_fields: tuple[str, ...] = ()) -> Q:
    """Records whose text fields start with ``term`` (any case), or whose phone numbers
    contain its digits when it looks like a phone number."""
    term = term.strip()
    condition = Q(pk__in=[])
    if not term:
        return Q()
    for field in text_fields:
        condition |= Q(**{f"{field}__istartswith": term})
    digits = re.sub(r"\D", "", term)
    if phone_fields and len(digits) >= 4 and len(digits) >= len(term.replace(" ", "")) - 2:
        national = digits.lstrip("0")
        for field in phone_fields:
            condition |= Q(**{f"{field}__contains": national})
    return condition
