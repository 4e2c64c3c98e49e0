"""Reads for the home page ("my day") and the global search, built on each app's
selectors so visibility applies."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum
from django.utils import timezone

from vorsprung.activities.selectors import task_list
from vorsprung.core.errors import ValidationError
from vorsprung.customers.selectors import contact_list, organization_list
from vorsprung.leads.choices import OPEN_STATUSES, LeadStatus
from vorsprung.leads.selectors import lead_list
from vorsprung.sales.models import Stage
from vorsprung.sales.selectors import opportunity_list, pipeline_default

HOME_ROWS = 8
SEARCH_ROWS = 5


def end_of_today() -> datetime:
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time.min))


@dataclass(frozen=True)
class StageSummary:
    stage: Stage
    count: int
    amount: object
    weighted: object


def pipeline_summary(*, user) -> tuple[object, list[StageSummary]]:
    """Open opportunities the user may see in the default pipeline: count, amount and
    weighted amount per stage, summed by the database."""
    try:
        pipeline = pipeline_default()
    except ValidationError:  # no pipeline yet: nothing to summarise
        return None, []
    stages = [s for s in pipeline.stages.order_by("position", "id") if not s.is_closed]
    weighted = ExpressionWrapper(
        F("amount") * F("probability") / 100,
        output_field=DecimalField(max_digits=20, decimal_places=2),
    )
    rows = {
        row["stage_id"]: row
        for row in opportunity_list(
            user=user, filters={"pipeline": [pipeline.pk], "is_closed": False}
        )
        .order_by()
        .values("stage_id")
        .annotate(n=Count("id"), total=Sum("amount"), weighted_total=Sum(weighted))
    }
    return pipeline, [
        StageSummary(
            stage=stage,
            count=rows.get(stage.pk, {}).get("n", 0),
            amount=rows.get(stage.pk, {}).get("total"),
            weighted=rows.get(stage.pk, {}).get("weighted_total"),
        )
        for stage in stages
    ]


def my_day(*, user) -> dict:
    """What the user should do today."""
    now_end = end_of_today()
    today = timezone.localdate()
    month_end = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    first_contact = lead_list(user=user, filters={"owner": [user.pk], "status": [LeadStatus.NEW]})
    follow_ups = (
        lead_list(user=user, filters={"owner": [user.pk], "status": list(OPEN_STATUSES)})
        .filter(next_follow_up_at__lt=now_end)
        .order_by("next_follow_up_at", "id")
    )
    tasks = (
        task_list(user=user)
        .filter(due_at__lt=now_end)
        .select_related("lead", "contact", "organization", "opportunity")
    )
    closing = opportunity_list(
        user=user,
        filters={"owner": [user.pk], "is_closed": False, "close_before": month_end},
    ).order_by("expected_close_date", "id")
    pipeline, summary = pipeline_summary(user=user)
    return {
        "first_contact": list(first_contact.order_by("-created_at", "-id")[:HOME_ROWS]),
        "first_contact_count": first_contact.count(),
        "follow_ups": list(follow_ups[:HOME_ROWS]),
        "tasks": list(tasks[: HOME_ROWS * 2]),
        "closing": list(closing[:HOME_ROWS]),
        "pipeline": pipeline,
        "summary": summary,
        "summary_total": {
            "count": sum(s.count for s in summary),
            "amount": sum(s.amount or 0 for s in summary),
            "weighted": sum(s.weighted or 0 for s in summary),
        },
        "today": today,
        "now": timezone.now(),
    }


def global_search(*, user, q: str) -> dict:
    """The first few leads, contacts, organizations and opportunities matching ``q``."""
    q = q.strip()
    if len(q) < 2:
        return {}
    return {
        "leads": list(lead_list(user=user, filters={"q": q})[:SEARCH_ROWS]),
        "contacts": list(
            contact_list(user=user, filters={"q": q}).select_related("organization")[:SEARCH_ROWS]
        ),
        "organizations": list(organization_list(user=user, filters={"q": q})[:SEARCH_ROWS]),
        "opportunities": list(opportunity_list(user=user, filters={"q": q})[:SEARCH_ROWS]),
    }
