"""Pipelines and opportunities over HTTP, with the stage operations."""

import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from vorsprung.accounts.permissions import check_is_admin, owner_for
from vorsprung.activities.api import timeline_endpoint
from vorsprung.core.api.crud import Resource, api_field_names, register_crud
from vorsprung.core.api.schemas import (
    WRITE_PROBLEMS,
    Amount,
    AmountOut,
    Count,
    Currency,
    CurrencyOut,
    Flag,
    Id,
    IsoDate,
    StrictSchema,
    expected_version,
    replace_nulls,
    resolve_by_id,
    set_etag,
    unchanged,
    versioning,
)
from vorsprung.core.records import RecordType
from vorsprung.customers.selectors import contact_list, organization_list
from vorsprung.history.api import history_endpoint
from vorsprung.sales import selectors, services
from vorsprung.sales.choices import ForecastCategory, LeadSource
from vorsprung.sales.filtersets import OpportunityFilterSet, PipelineFilterSet
from vorsprung.sales.models import Pipeline, Stage

opportunities = Router(tags=["opportunities"])
pipelines = Router(tags=["pipelines"])


class OpportunityOut(Schema):
    id: int
    version: int
    name: str
    organization_id: int
    primary_contact_id: int | None
    amount: AmountOut | None
    currency: CurrencyOut
    pipeline_id: int
    stage_id: int
    probability: int
    probability_is_manual: bool
    forecast_category: ForecastCategory
    expected_close_date: datetime.date
    next_step: str
    is_closed: bool
    is_won: bool
    closed_at: datetime.datetime | None
    lost_reason: str
    source: str
    source_lead_id: int | None
    description: str
    owner_id: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class OpportunityPatch(StrictSchema):
    name: str = unchanged(min_length=1, max_length=200)
    organization_id: Id = unchanged()
    primary_contact_id: Id | None = None
    amount: Amount | None = None
    currency: Currency = unchanged()
    probability: Count | None = Field(
        None, ge=0, le=100, description="null: follow the stage's probability again."
    )
    forecast_category: ForecastCategory | None = Field(
        None, description="null: follow the stage's forecast category again."
    )
    expected_close_date: IsoDate = unchanged()
    next_step: str | None = Field(None, max_length=255)
    source: LeadSource | None = None
    description: str | None = Field(None, max_length=20_000)
    owner_id: Id | None = None


class OpportunityCreate(OpportunityPatch):
    name: str = Field(..., min_length=1, max_length=200)
    organization_id: Id
    pipeline_id: Id | None = None
    stage_id: Id | None = None
    lost_reason: str = Field("", max_length=255)


def resolve_pipeline(id_: int | None, field: str) -> Pipeline | None:
    """The active pipeline with ``id_``, or a ValidationError on ``field``."""
    return resolve_by_id(
        selectors.pipeline_list().prefetch_related(None),
        id_,
        field,
        message=_("No active pipeline with id %(id)s.") % {"id": id_},
    )


def resolve_stage(id_: int | None, field: str) -> Stage | None:
    """The stage with ``id_`` of an active pipeline, or a ValidationError on ``field``."""
    return resolve_by_id(
        selectors.stage_list(),
        id_,
        field,
        message=_("No stage with id %(id)s in an active pipeline.") % {"id": id_},
    )


def opportunity_kwargs(request: HttpRequest, data: dict) -> dict:
    user = request.auth
    replace_nulls(data, ("next_step", "description", "source", "forecast_category"), "")
    if "organization_id" in data:
        data["organization"] = resolve_by_id(
            organization_list(user=user), data.pop("organization_id"), "organization_id"
        )
    if "primary_contact_id" in data:
        data["primary_contact"] = resolve_by_id(
            contact_list(user=user), data.pop("primary_contact_id"), "primary_contact_id"
        )
    if "pipeline_id" in data:
        data["pipeline"] = resolve_pipeline(data.pop("pipeline_id"), "pipeline_id")
    if "stage_id" in data:
        data["stage"] = resolve_stage(data.pop("stage_id"), "stage_id")
    if "owner_id" in data:
        data["owner"] = owner_for(user, data.pop("owner_id"))
    return data


register_crud(
    opportunities,
    Resource(
        name="opportunity",
        out=OpportunityOut,
        filterset=OpportunityFilterSet,
        list_selector=lambda user, f: selectors.opportunity_list(user=user, filters=f),
        get_selector=lambda user, id: selectors.opportunity_get(user=user, id=id),
        create_in=OpportunityCreate,
        update_in=OpportunityPatch,
        create=lambda actor, **data: services.opportunity_create(actor=actor, **data),
        update=lambda actor, opportunity, version, **data: services.opportunity_update(
            actor=actor, opportunity=opportunity, expected_version=version, **data
        ),
        delete=lambda actor, opportunity: services.opportunity_delete(
            actor=actor, opportunity=opportunity
        ),
        to_kwargs=opportunity_kwargs,
    ),
)


class StageMoveIn(StrictSchema):
    stage_id: Id
    lost_reason: str = Field("", max_length=255)


class LostIn(StrictSchema):
    reason: str = Field(..., max_length=255)


@opportunities.post(
    "/{int:id}/stage",
    response={200: OpportunityOut, **WRITE_PROBLEMS},
    operation_id="opportunity_move_stage",
    summary="Move an opportunity to another stage of its pipeline",
    openapi_extra=versioning(if_match=True, etag=(200,)),
)
def move_stage(request, id: Id, payload: StageMoveIn, response: HttpResponse):
    opportunity = selectors.opportunity_get(user=request.auth, id=id)
    stage = resolve_stage(payload.stage_id, "stage_id")
    with api_field_names(StageMoveIn):
        opportunity = services.opportunity_move_stage(
            actor=request.auth,
            opportunity=opportunity,
            stage=stage,
            lost_reason=payload.lost_reason,
            expected_version=expected_version(request),
        )
    set_etag(response, opportunity)
    return opportunity


@opportunities.post(
    "/{int:id}/won",
    response={200: OpportunityOut, **WRITE_PROBLEMS},
    operation_id="opportunity_mark_won",
    summary="Close an opportunity as won",
    openapi_extra=versioning(if_match=True, etag=(200,)),
)
def mark_won(request, id: Id, response: HttpResponse):
    opportunity = selectors.opportunity_get(user=request.auth, id=id)
    opportunity = services.opportunity_mark_won(
        actor=request.auth, opportunity=opportunity, expected_version=expected_version(request)
    )
    set_etag(response, opportunity)
    return opportunity


@opportunities.post(
    "/{int:id}/lost",
    response={200: OpportunityOut, **WRITE_PROBLEMS},
    operation_id="opportunity_mark_lost",
    summary="Close an opportunity as lost",
    openapi_extra=versioning(if_match=True, etag=(200,)),
)
def mark_lost(request, id: Id, payload: LostIn, response: HttpResponse):
    opportunity = selectors.opportunity_get(user=request.auth, id=id)
    with api_field_names(LostIn, {"lost_reason": "reason"}):
        opportunity = services.opportunity_mark_lost(
            actor=request.auth,
            opportunity=opportunity,
            reason=payload.reason,
            expected_version=expected_version(request),
        )
    set_etag(response, opportunity)
    return opportunity


for endpoint in (timeline_endpoint, history_endpoint):
    endpoint(
        opportunities,
        RecordType.OPPORTUNITY,
        lambda user, id: selectors.opportunity_get(user=user, id=id),
    )


class StageOut(Schema):
    id: int
    name: str
    position: int
    probability: int
    forecast_category: ForecastCategory
    is_won: bool
    is_lost: bool


class PipelineOut(Schema):
    id: int
    name: str
    is_default: bool
    is_active: bool
    stages: list[StageOut]

    @staticmethod
    def resolve_stages(obj):
        return list(obj.stages.all())


class StageIn(StrictSchema):
    name: str = Field(..., min_length=1, max_length=100)
    probability: Count = Field(..., ge=0, le=100)
    forecast_category: ForecastCategory
    is_won: Flag = False
    is_lost: Flag = False


class PipelineCreate(StrictSchema):
    name: str = Field(..., min_length=1, max_length=100)
    is_default: Flag = False
    stages: list[StageIn] = Field(..., min_length=2, max_length=30)


class PipelinePatch(StrictSchema):
    name: str = unchanged(min_length=1, max_length=100)
    is_default: Flag = unchanged()
    is_active: Flag = unchanged()


def _create_pipeline(actor, **data):
    check_is_admin(actor)
    return services.pipeline_create(actor=actor, **data)


def _update_pipeline(actor, pipeline, version, **data):
    check_is_admin(actor)
    return services.pipeline_update(actor=actor, pipeline=pipeline, **data)


def _delete_pipeline(actor, pipeline):
    check_is_admin(actor)
    services.pipeline_delete(actor=actor, pipeline=pipeline)


register_crud(
    pipelines,
    Resource(
        name="pipeline",
        out=PipelineOut,
        filterset=PipelineFilterSet,
        list_selector=lambda user, f: selectors.pipeline_list(filters=f),
        get_selector=lambda user, id: Pipeline.objects.prefetch_related("stages").get(pk=id),
        create_in=PipelineCreate,
        update_in=PipelinePatch,
        create=_create_pipeline,
        update=_update_pipeline,
        delete=_delete_pipeline,
        to_kwargs=lambda request, data: data,
    ),
)
