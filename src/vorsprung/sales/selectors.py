"""Reads for pipelines and opportunities, with record visibility applied."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from vorsprung.accounts.models import Team
from vorsprung.accounts.visibility import owner_filter, visible_team_ids, visible_to
from vorsprung.core.errors import ValidationError
from vorsprung.core.picklists import picklist_entries
from vorsprung.sales.filtersets import OpportunityFilterSet, PipelineFilterSet
from vorsprung.sales.models import (
    LostReason,
    Opportunity,
    OpportunityContactRole,
    Pipeline,
    Stage,
)
from vorsprung.search.selectors import search_filter

# The board's won and lost columns show the opportunities closed this many days ago at most.
BOARD_CLOSED_DAYS = 90


def opportunity_list(*, user, filters=None) -> QuerySet[Opportunity]:
    """The opportunities the user may see, narrowed by ``filters`` (a dict, QueryDict or
    query string) as ``OpportunityFilterSet`` declares them; q: name."""
    opportunities, filters = OpportunityFilterSet.narrow(
        visible_to(Opportunity.objects.select_related("organization", "stage", "owner"), user),
        filters,
        user=user,
    )
    if filters.get("q"):
        opportunities = search_filter(opportunities, filters["q"])
    return opportunities


def opportunity_get(*, user, id: int) -> Opportunity:
    return visible_to(
        Opportunity.objects.select_related("organization", "stage", "pipeline", "owner"), user
    ).get(pk=id)


def contact_role_list(*, user) -> QuerySet[OpportunityContactRole]:
    """Contact roles the user may see: on an opportunity they see, of a contact they see."""
    return OpportunityContactRole.objects.select_related("opportunity", "contact").filter(
        owner_filter(user, "opportunity__owner"), owner_filter(user, "contact__owner")
    )


def opportunity_contact_roles(*, user, opportunity: Opportunity) -> QuerySet:
    """The roles on ``opportunity`` (read through ``opportunity_get``) of the contacts the
    user may see, by the contact's name."""
    return (
        contact_role_list(user=user)
        .filter(opportunity=opportunity)
        .order_by("contact__last_name", "contact__first_name", "id")
    )


def pipeline_list(*, filters=None) -> QuerySet[Pipeline]:
    """Pipelines with their stages; active ones unless ``is_active`` says otherwise."""
    pipelines, filters = PipelineFilterSet.narrow(
        Pipeline.objects.prefetch_related("stages"), filters, user=None
    )
    if filters.get("is_active") is None:
        pipelines = pipelines.filter(is_active=True)
    return pipelines


def pipeline_get(*, id: int) -> Pipeline:
    """A pipeline, active or not, with its stages; ``Pipeline.DoesNotExist`` otherwise."""
    return Pipeline.objects.prefetch_related("stages").get(pk=id)


def pipeline_overview() -> QuerySet[Pipeline]:
    """Every pipeline, active or not, the default first, each with ``stage_count``
    counted by the database (pipelines are few: an administrator makes each one)."""
    return Pipeline.objects.annotate(stage_count=Count("stages")).order_by("-is_default", "name")


def pipeline_default() -> Pipeline:
    """The pipeline new opportunities go into unless told otherwise. Raises
    ValidationError when there is no pipeline at all."""
    pipeline = Pipeline.objects.filter(is_default=True).first() or Pipeline.objects.first()
    if pipeline is None:
        raise ValidationError({"pipeline": [_("No pipeline exists yet; create one first.")]})
    return pipeline


def pipeline_first_open_stage(pipeline: Pipeline) -> Stage:
    """Where a new opportunity of ``pipeline`` starts. Raises ValidationError when the
    pipeline has no open stage."""
    stage = pipeline.stages.filter(is_won=False, is_lost=False).order_by("position", "id").first()
    if stage is None:
        raise ValidationError(
            {"stage": [_("Pipeline “%(name)s” has no open stage.") % {"name": pipeline.shown_name}]}
        )
    return stage


def pipeline_default_entry() -> tuple[Pipeline, Stage]:
    """The default pipeline and its first open stage, read together (a new opportunity
    goes there unless told otherwise)."""
    stage = (
        Stage.objects.select_related("pipeline")
        .filter(pipeline__is_default=True, is_won=False, is_lost=False)
        .order_by("position", "id")
        .first()
    )
    if stage is not None:
        return stage.pipeline, stage
    pipeline = pipeline_default()
    return pipeline, pipeline_first_open_stage(pipeline)


def stage_list(*, pipeline: Pipeline) -> QuerySet[Stage]:
    """The stages of ``pipeline`` in their order."""
    return pipeline.stages.order_by("position", "id")


def pipeline_open_stages(pipeline: Pipeline) -> QuerySet[Stage]:
    """The open stages of ``pipeline`` in their order."""
    return pipeline.stages.filter(is_won=False, is_lost=False).order_by("position", "id")


def stage_list_active() -> QuerySet[Stage]:
    """The stages of active pipelines, with their pipeline: where an opportunity may be
    put (a deactivated pipeline takes none)."""
    return Stage.objects.filter(pipeline__is_active=True).select_related("pipeline")


def stage_none() -> QuerySet[Stage]:
    """No stages (a choice list with nothing to offer)."""
    return Stage.objects.none()


def lost_reason_labels() -> list[tuple[str, str]]:
    """The reasons offered when an opportunity is closed lost, in their order: (label as
    stored on the opportunity, label as the reader reads it)."""
    return [(reason.label, reason.shown_name) for reason in lost_reason_list()]


def lost_reason_list(*, include_retired: bool = False) -> QuerySet[LostReason]:
    """The lost reasons, offered ones first in their order (retired ones after them, when
    asked for). Everyone may read them."""
    return picklist_entries(LostReason, include_retired=include_retired)


def lost_reason_get(*, id: int) -> LostReason:
    return LostReason.objects.get(pk=id)


def visible_teams(*, user) -> QuerySet[Team]:
    """The teams whose records ``user`` sees (every team for an admin)."""
    team_ids = visible_team_ids(user)
    teams = Team.objects.all()
    return teams if team_ids is None else teams.filter(pk__in=team_ids)


def board_stages(*, pipeline: Pipeline) -> list[Stage]:
    """A pipeline's stages in board order: the open stages by position, then the won and
    then the lost stages. Uses the prefetched stages when there are any."""
    return sorted(
        pipeline.stages.all(),
        key=lambda stage: (stage.is_won + 2 * stage.is_lost, stage.position, stage.pk),
    )


def board_closed_since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=BOARD_CLOSED_DAYS)


def _board_filters(filters: dict | None) -> dict:
    """The board filters by owner and team only; its pipeline and stage come from the column."""
    return {name: value for name, value in (filters or {}).items() if name in ("owner", "team")}


def board_column_list(*, user, stage: Stage, filters: dict | None = None) -> QuerySet[Opportunity]:
    """The opportunities of one board column: every one in an open stage, in a won or lost
    stage those closed in the last ``BOARD_CLOSED_DAYS`` days. Filters: owner, team."""
    opportunities = opportunity_list(
        user=user,
        filters={
            **_board_filters(filters),
            "pipeline": [stage.pipeline_id],
            "stage": [stage.pk],
        },
    )
    if stage.is_closed:
        return opportunities.filter(is_closed__in=[True], closed_at__gte=board_closed_since())
    return opportunities.filter(is_closed__in=[False])


@dataclass(frozen=True)
class ColumnTotal:
    count: int = 0
    # (currency, sum of amounts) pairs: amounts in different currencies are not added up.
    amounts: list[tuple[str, Decimal]] = field(default_factory=list)


def board_column_total(*, user, stage: Stage, filters: dict | None = None) -> ColumnTotal:
    """Count and sum of amounts (per currency) of one board column: the same rows as
    ``board_column_list``. Each column asks for its own, so the board page itself sums
    nothing and a column's sum reads one stage's part of the pipeline-sums index."""
    rows = (
        board_column_list(user=user, stage=stage, filters=filters)
        .order_by()
        .values("currency")
        .annotate(n=Count("id"), total=Sum("amount"))
    )
    count, amounts = 0, []
    for row in rows:
        count += row["n"]
        if row["total"] is not None:
            amounts.append((row["currency"], row["total"]))
    return ColumnTotal(count=count, amounts=sorted(amounts))


@dataclass(frozen=True)
class OutcomeGroup:
    outcome: str  # open, won or lost
    count: int
    rows: list


def organization_opportunities(*, user, organization, rows: int) -> list[OutcomeGroup]:
    """The organization's open, won and lost opportunities the user may see: the first
    ``rows`` of each (open by close date, closed newest first) and each group's size,
    counted by the database in one query."""
    base = {"organization": [organization.pk]}
    counts = (
        opportunity_list(user=user, filters=base)
        .order_by()
        .aggregate(
            open=Count("pk", filter=Q(is_closed=False)),
            won=Count("pk", filter=Q(is_won=True)),
            lost=Count("pk", filter=Q(is_closed=True, is_won=False)),
        )
    )
    closed_order = (F("closed_at").desc(nulls_last=True), "-expected_close_date", "-id")
    groups = [
        ("open", {"is_closed": False}, ("expected_close_date", "id")),
        ("won", {"is_won": True}, closed_order),
        ("lost", {"is_closed": True, "is_won": False}, closed_order),
    ]
    return [
        OutcomeGroup(
            outcome=outcome,
            count=counts[outcome],
            rows=list(
                opportunity_list(user=user, filters={**base, **condition})
                .select_related(None)
                .select_related("stage")
                .order_by(*ordering)[:rows]
            ),
        )
        for outcome, condition, ordering in groups
    ]


def contact_opportunities(*, user, contact, rows: int) -> tuple[list[Opportunity], int]:
    """Opportunities the user may see where the contact is the primary contact or has a
    role, open ones first, each with the contact's roles in ``roles_of_contact``; and
    how many there are."""
    roles = OpportunityContactRole.objects.filter(contact=contact)
    # One id list from two indexes; "primary_contact = x OR id IN (…)" would make
    # PostgreSQL read every opportunity.
    ids = (
        Opportunity.objects.filter(primary_contact=contact)
        .order_by()
        .values("pk")
        .union(roles.order_by().values("opportunity_id"))
    )
    opportunities = opportunity_list(user=user).filter(pk__in=ids)
    first = list(
        opportunities.select_related(None)
        .select_related("stage", "organization")
        .prefetch_related(Prefetch("contact_roles", queryset=roles, to_attr="roles_of_contact"))
        .order_by("is_closed", "expected_close_date", "id")[:rows]
    )
    return first, opportunities.count()
