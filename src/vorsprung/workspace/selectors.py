"""Reads for the home page ("my day") and the global search, built on each app's
selectors so visibility applies."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum
from django.utils import timezone

from vorsprung.activities.selectors import task_list
from vorsprung.core.errors import ValidationError
from vorsprung.customers.selectors import contact_list, organization_list
from vorsprung.leads.choices import OPEN_STATUSES, LeadStatus
from vorsprung.leads.selectors import lead_list
from vorsprung.sales.models import Stage
from vorsprung.sales.rates import Converted, base_currency, convert_total, rates_on
from vorsprung.sales.selectors import opportunity_list, pipeline_default
from vorsprung.search.selectors import search_count, search_ranked

HOME_ROWS = 8
SEARCH_ROWS = 5
# The search page shows this many of each type, and counts up to SEARCH_COUNT_CAP.
SEARCH_PAGE_ROWS = 20
SEARCH_COUNT_CAP = 1_000


def end_of_today() -> datetime:
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time.min))


@dataclass(frozen=True)
class MoneySum:
    """Sums per currency (never added across currencies) and, where every currency has
    a rate, their total converted into the base currency."""

    amounts: list[tuple[str, Decimal]] = field(default_factory=list)
    weighted: list[tuple[str, Decimal]] = field(default_factory=list)
    converted: Converted | None = None
    converted_weighted: Converted | None = None

    @property
    def needs_conversion(self) -> bool:
        """More than one currency, or one other than the base currency."""
        return any(currency != base_currency() for currency, _amount in self.amounts)


@dataclass(frozen=True)
class StageSummary:
    stage: Stage
    count: int
    money: MoneySum


@dataclass(frozen=True)
class PipelineSummary:
    pipeline: object
    stages: list[StageSummary]
    count: int
    money: MoneySum


def _money(amounts: dict, weighted: dict, rates) -> MoneySum:
    amounts_list = sorted((c, a) for c, a in amounts.items() if a is not None)
    weighted_list = sorted((c, a) for c, a in weighted.items() if a is not None)
    return MoneySum(
        amounts=amounts_list,
        weighted=weighted_list,
        converted=convert_total(amounts_list, rates),
        converted_weighted=convert_total(weighted_list, rates),
    )


def pipeline_summary(*, user) -> PipelineSummary:
    """Open opportunities the user may see in the default pipeline: count, amount and
    weighted amount per stage and in total. The database sums per stage and currency;
    amounts in different currencies are never added, only converted (with the
    administrators' exchange rates in force today) when every currency has a rate."""
    try:
        pipeline = pipeline_default()
    except ValidationError:  # no pipeline yet: nothing to summarise
        return PipelineSummary(None, [], 0, MoneySum())
    stages = [s for s in pipeline.stages.order_by("position", "id") if not s.is_closed]
    weighted = ExpressionWrapper(
        F("amount") * F("probability") / 100,
        output_field=DecimalField(max_digits=20, decimal_places=2),
    )
    rows = list(
        opportunity_list(user=user, filters={"pipeline": [pipeline.pk], "is_closed": False})
        .order_by()
        .values("stage_id", "currency")
        .annotate(n=Count("id"), total=Sum("amount"), weighted_total=Sum(weighted))
    )
    rates = rates_on({row["currency"] for row in rows if row["total"] is not None})
    per_stage: dict[int, list[dict]] = {}
    for row in rows:
        per_stage.setdefault(row["stage_id"], []).append(row)

    def sums(of: list[dict], key: str) -> dict:
        totals: dict[str, Decimal] = {}
        for row in of:
            if row[key] is not None:
                totals[row["currency"]] = totals.get(row["currency"], 0) + row[key]
        return totals

    summaries = [
        StageSummary(
            stage=stage,
            count=sum(row["n"] for row in per_stage.get(stage.pk, [])),
            money=_money(
                sums(per_stage.get(stage.pk, []), "total"),
                sums(per_stage.get(stage.pk, []), "weighted_total"),
                rates,
            ),
        )
        for stage in stages
    ]
    open_stage_ids = {stage.pk for stage in stages}
    counted = [row for row in rows if row["stage_id"] in open_stage_ids]
    return PipelineSummary(
        pipeline=pipeline,
        stages=summaries,
        count=sum(row["n"] for row in counted),
        money=_money(sums(counted, "total"), sums(counted, "weighted_total"), rates),
    )


def my_day(*, user) -> dict:
    """What the user should do today."""
    now_end = end_of_today()
    today = timezone.localdate()
    month_end = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    first_contact = lead_list(user=user, filters={"owner": [user.pk], "status": [LeadStatus.NEW]})
    tasks = (
        task_list(user=user)
        .filter(due_at__lt=now_end)
        .select_related("lead", "contact", "organization", "opportunity")
    )
    # A lead's follow-up date and an open task on that lead due by then are one reminder
    # (scheduling a follow-up makes both): the task is listed, the date is not again.
    follow_ups = (
        lead_list(user=user, filters={"owner": [user.pk], "status": list(OPEN_STATUSES)})
        .filter(next_follow_up_at__lt=now_end)
        .exclude(pk__in=tasks.filter(lead__isnull=False).values("lead_id"))
        .order_by("next_follow_up_at", "id")
    )
    closing = opportunity_list(
        user=user,
        filters={"owner": [user.pk], "is_closed": False, "close_before": month_end},
    ).order_by("expected_close_date", "id")
    summary = pipeline_summary(user=user)
    return {
        "first_contact": list(first_contact.order_by("-created_at", "-id")[:HOME_ROWS]),
        "first_contact_count": first_contact.count(),
        "follow_ups": list(follow_ups[:HOME_ROWS]),
        "tasks": list(tasks[: HOME_ROWS * 2]),
        "closing": list(closing[:HOME_ROWS]),
        "pipeline": summary.pipeline,
        "summary": summary,
        "today": today,
        "now": timezone.now(),
    }


@dataclass
class SearchGroup:
    """One record type's matches for a search term."""

    kind: str  # leads, contacts, organizations, opportunities
    rows: list
    # How many the user may see, counted up to SEARCH_COUNT_CAP; None when not counted.
    count: int | None = None

    @property
    def count_is_capped(self) -> bool:
        return self.count is not None and self.count >= SEARCH_COUNT_CAP


def global_search(*, user, q: str, rows: int = SEARCH_ROWS, counts: bool = False) -> dict:
    """The best matches for ``q`` of each record type the user may see — whole words
    first, then prefixes, then similar — ``rows`` per type, and with ``counts`` how many
    there are of each. Empty for a term shorter than two characters."""
    q = q.strip()
    if len(q) < 2:
        return {}
    lists = {
        "leads": lead_list(user=user),
        "contacts": contact_list(user=user).select_related("organization"),
        "organizations": organization_list(user=user),
        "opportunities": opportunity_list(user=user),
    }
    return {
        kind: SearchGroup(
            kind=kind,
            rows=search_ranked(queryset, q, limit=rows),
            count=search_count(queryset, q, cap=SEARCH_COUNT_CAP) if counts else None,
        )
        for kind, queryset in lists.items()
    }
