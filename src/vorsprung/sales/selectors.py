"""Reads for pipelines and opportunities, with record visibility applied."""

from django.db.models import QuerySet

from vorsprung.accounts.visibility import visible_to
from vorsprung.core.filters import apply_common_filters, as_list, search
from vorsprung.sales.models import Opportunity, Pipeline


def opportunity_list(*, user, filters: dict | None = None) -> QuerySet[Opportunity]:
    """Filters: pipeline, organization, team, is_closed, is_won, stage/owner/forecast
    category (lists), close_after/before, created/updated ranges, q (name)."""
    filters = filters or {}
    opportunities = visible_to(
        Opportunity.objects.select_related("organization", "stage", "owner"), user
    )
    for name, lookup in (
        ("pipeline", "pipeline_id__in"),
        ("organization", "organization_id__in"),
        ("stage", "stage_id__in"),
        ("owner", "owner_id__in"),
        ("forecast_category", "forecast_category__in"),
    ):
        if filters.get(name):
            opportunities = opportunities.filter(**{lookup: as_list(filters[name])})
    for name in ("is_closed", "is_won"):
        if filters.get(name) is not None:
            # "IN (0)" rather than Django's "NOT is_closed" for False: SQLite can look the
            # former up in an index, the latter it must test row by row.
            opportunities = opportunities.filter(**{f"{name}__in": [bool(filters[name])]})
    if filters.get("close_after") is not None:
        opportunities = opportunities.filter(expected_close_date__gte=filters["close_after"])
    if filters.get("close_before") is not None:
        opportunities = opportunities.filter(expected_close_date__lte=filters["close_before"])
    opportunities = apply_common_filters(opportunities, filters)
    if filters.get("q"):
        opportunities = search(opportunities, filters["q"], ("name",))
    return opportunities


def opportunity_get(*, user, id: int) -> Opportunity:
    return visible_to(
        Opportunity.objects.select_related("organization", "stage", "pipeline", "owner"), user
    ).get(pk=id)


def pipeline_list(*, filters: dict | None = None) -> QuerySet[Pipeline]:
    """Pipelines with their stages; active ones unless ``is_active`` says otherwise."""
    filters = filters or {}
    pipelines = Pipeline.objects.prefetch_related("stages")
    is_active = filters.get("is_active")
    return pipelines.filter(is_active=True if is_active is None else is_active)
