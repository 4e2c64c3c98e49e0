"""Reads for pipelines and opportunities, with record visibility applied."""

from django.db.models import Count, QuerySet, Sum

from vorsprung.accounts.visibility import visible_to
from vorsprung.sales.models import Opportunity, Pipeline


def opportunity_list(*, user, filters: dict | None = None) -> QuerySet[Opportunity]:
    filters = filters or {}
    opportunities = visible_to(
        Opportunity.objects.select_related("organization", "stage", "owner"), user
    )
    if filters.get("pipeline"):
        opportunities = opportunities.filter(pipeline_id=filters["pipeline"])
    if filters.get("stage"):
        opportunities = opportunities.filter(stage_id=filters["stage"])
    if "is_closed" in filters and filters["is_closed"] is not None:
        opportunities = opportunities.filter(is_closed=filters["is_closed"])
    if filters.get("organization"):
        opportunities = opportunities.filter(organization_id=filters["organization"])
    return opportunities


def opportunity_get(*, user, id: int) -> Opportunity:
    return visible_to(
        Opportunity.objects.select_related("organization", "stage", "pipeline", "owner"), user
    ).get(pk=id)


def pipeline_list() -> QuerySet[Pipeline]:
    return Pipeline.objects.filter(is_active=True).prefetch_related("stages")


def pipeline_summary(*, user, pipeline: Pipeline) -> list[dict]:
    """Count and amount per stage of the opportunities the user sees, computed in SQL."""
    rows = (
        opportunity_list(user=user, filters={"pipeline": pipeline.pk})
        .order_by()
        .values("stage_id")
        .annotate(count=Count("id"), amount=Sum("amount"))
    )
    by_stage = {row["stage_id"]: row for row in rows}
    return [
        {
            "stage": stage,
            "count": by_stage.get(stage.pk, {}).get("count", 0),
            "amount": by_stage.get(stage.pk, {}).get("amount") or 0,
        }
        for stage in pipeline.stages.all()
    ]
