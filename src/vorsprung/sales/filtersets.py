"""The opportunity and pipeline lists' filters and orderings, declared once for the
opportunity page, the API and the selectors."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vorsprung.accounts.filtersets import owner_choices
from vorsprung.core.filtersets import (
    ChoicesFilter,
    DayFilter,
    FlagFilter,
    IdsFilter,
    ListFilterSet,
    OneOfFilter,
    OwnerFilter,
    RecordFilterSet,
    SearchFilter,
    TextsFilter,
)
from vorsprung.sales.choices import ForecastCategory
from vorsprung.sales.models import ExchangeRate, Opportunity, Pipeline, Stage

STATUS_OPEN, STATUS_WON, STATUS_LOST, STATUS_ALL = "open", "won", "lost", "all"


def _pipeline_choices(user) -> list[tuple[str, str]]:
    pipelines = Pipeline.objects.filter(is_active=True).order_by("-is_default", "name")
    return [("", _("All pipelines")), *((str(p.pk), p.shown_name) for p in pipelines)]


def _stage_choices(user) -> list:
    """The stages of active pipelines, grouped by pipeline."""
    stages = (
        Stage.objects.filter(pipeline__is_active=True)
        .select_related("pipeline")
        .order_by("-pipeline__is_default", "pipeline__name", "position", "id")
    )
    groups: dict[str, list] = {}
    for stage in stages:
        groups.setdefault(stage.pipeline.shown_name, []).append((str(stage.pk), stage.shown_name))
    return [("", _("All stages")), *groups.items()]


class OpportunityFilterSet(RecordFilterSet):
    orderings = {
        "expected_close_date": _("Close date, soonest first"),
        "-expected_close_date": _("Close date, latest first"),
        "-created_at": _("Newest first"),
        "created_at": _("Oldest first"),
        "-updated_at": _("Recently changed"),
        "updated_at": _("Least recently changed"),
        "name": _("Name A–Z"),
        "-name": _("Name Z–A"),
    }

    q = SearchFilter(hint=_("Name"))
    pipeline = IdsFilter("pipeline_id", label=_("Pipeline"), page_choices=_pipeline_choices)
    stage = IdsFilter("stage_id", label=_("Stage"), page_choices=_stage_choices)
    status = OneOfFilter(
        label=_("Status"),
        conditions={
            STATUS_OPEN: Q(is_closed__in=[False]),
            STATUS_WON: Q(is_won__in=[True]),
            STATUS_LOST: Q(is_closed__in=[True], is_won__in=[False]),
            STATUS_ALL: Q(),
        },
        labels={
            STATUS_OPEN: _("Open"),
            STATUS_WON: _("Won"),
            STATUS_LOST: _("Lost"),
            STATUS_ALL: _("All"),
        },
    )
    owner = OwnerFilter(label=_("Owner"), page_choices=owner_choices(_("Anyone")))
    organization = IdsFilter("organization_id", label=_("Organization"))
    is_closed = FlagFilter("is_closed", label=_("Closed"))
    is_won = FlagFilter("is_won", label=_("Won"))
    forecast_category = ChoicesFilter(
        "forecast_category", choices=ForecastCategory, label=_("Forecast category")
    )
    close_after = DayFilter("expected_close_date", "gte", label=_("Closing from"))
    close_before = DayFilter("expected_close_date", "lte", label=_("Closing until"))

    class Meta:
        model = Opportunity
        fields: list[str] = []


class PipelineFilterSet(ListFilterSet):
    """Active pipelines unless ``is_active`` says otherwise (see ``pipeline_list``)."""

    orderings = {"name": _("Name A–Z"), "-name": _("Name Z–A")}

    is_active = FlagFilter("is_active", label=_("Active"))

    class Meta:
        model = Pipeline
        fields: list[str] = []


class ExchangeRateFilterSet(ListFilterSet):
    orderings = {
        "-valid_from": _("Newest first"),
        "valid_from": _("Oldest first"),
        "currency": _("Currency A–Z"),
        "-currency": _("Currency Z–A"),
    }

    currency = TextsFilter("currency", upper=True, max_length=3, label=_("Currency"))

    class Meta:
        model = ExchangeRate
        fields: list[str] = []
