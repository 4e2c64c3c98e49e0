"""Pipelines and opportunities over HTTP, with the stage operations."""

import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from vorsprung.accounts.authentication import admin_auth
from vorsprung.accounts.permissions import owner_for
from vorsprung.activities.api import timeline_endpoint
from vorsprung.core.api.crud import Resource, api_field_names, page_schema, register_crud
from vorsprung.core.api.picklists import PickList, register_picklist
from vorsprung.core.api.schemas import (
    API_ROOT,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    PROBLEMS,
    WRITE_PROBLEMS,
    Amount,
    AmountOut,
    Count,
    Currency,
    CurrencyOut,
    DecimalOut,
    Flag,
    Id,
    IsoDate,
    Rate,
    StrictSchema,
    expected_version,
    page_body,
    replace_nulls,
    resolve_by_id,
    set_etag,
    set_location,
    unchanged,
    versioning,
)
from vorsprung.core.pagination import keyset_page
from vorsprung.core.records import RecordType
from vorsprung.customers.selectors import contact_list, organization_list
from vorsprung.history.api import history_endpoint
from vorsprung.sales import rates, reasons, selectors, services, stages
from vorsprung.sales.choices import ContactRole, ForecastCategory, LeadSource
from vorsprung.sales.filtersets import (
    ExchangeRateFilterSet,
    OpportunityFilterSet,
    PipelineFilterSet,
)
from vorsprung.sales.models import Pipeline, Stage

opportunities = Router(tags=["opportunities"])
pipelines = Router(tags=["pipelines"])
lost_reasons = Router(tags=["lost reasons"])
exchange_rates = Router(tags=["exchange rates"])


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
    lost_reason: str = Field(
        description="The reason as given, stored as text: a reason from the list is kept "
        "by its stored (for a seeded reason, English) label, optionally followed by "
        "`: details`."
    )
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
        selectors.stage_list_active(),
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


class ContactRoleOut(Schema):
    id: int
    contact_id: int
    contact_name: str
    role: ContactRole

    @staticmethod
    def resolve_contact_name(obj) -> str:
        return str(obj.contact)


ContactRolePage = page_schema(ContactRoleOut)


class ContactRoleIn(StrictSchema):
    contact_id: Id
    role: ContactRole


@opportunities.get(
    "/{int:id}/contact-roles",
    response={200: ContactRolePage, **PROBLEMS},
    operation_id="opportunity_contact_roles",
    summary="The contacts with a role on the opportunity (those you may see)",
)
def contact_roles(
    request,
    id: Id,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    cursor: str | None = Query(None, max_length=200),
):
    opportunity = selectors.opportunity_get(user=request.auth, id=id)
    roles = selectors.opportunity_contact_roles(user=request.auth, opportunity=opportunity)
    return page_body(request, keyset_page(roles, ordering="id", cursor=cursor, limit=limit))


@opportunities.get(
    "/{int:id}/contact-roles/{int:role_id}",
    response={200: ContactRoleOut, **PROBLEMS},
    operation_id="opportunity_contact_role_get",
    summary="One contact's role on the opportunity",
)
def contact_role(request, id: Id, role_id: Id):
    opportunity = selectors.opportunity_get(user=request.auth, id=id)
    roles = selectors.opportunity_contact_roles(user=request.auth, opportunity=opportunity)
    return roles.get(pk=role_id)


@opportunities.post(
    "/{int:id}/contact-roles",
    response={201: ContactRoleOut, **WRITE_PROBLEMS},
    operation_id="opportunity_add_contact_role",
    summary="Give a contact a role on the opportunity",
    description="`If-Match` names the opportunity's version as you read it.",
    openapi_extra=versioning(if_match=True, location=True),
)
def add_contact_role(request, id: Id, payload: ContactRoleIn, response: HttpResponse):
    user = request.auth
    opportunity = selectors.opportunity_get(user=user, id=id)
    with api_field_names(ContactRoleIn):
        contact = resolve_by_id(contact_list(user=user), payload.contact_id, "contact_id")
        role = services.opportunity_add_contact_role(
            actor=user,
            opportunity=opportunity,
            contact=contact,
            role=payload.role,
            expected_version=expected_version(request),
        )
    set_location(request, response, f"{API_ROOT}opportunities/{id}/contact-roles/{role.pk}")
    return Status(201, role)


@opportunities.delete(
    "/{int:id}/contact-roles/{int:role_id}",
    response={204: None, **WRITE_PROBLEMS},
    operation_id="opportunity_remove_contact_role",
    summary="Take a contact's role on the opportunity away",
    description="`If-Match` names the opportunity's version as you read it.",
    openapi_extra=versioning(if_match=True),
)
def remove_contact_role(request, id: Id, role_id: Id):
    user = request.auth
    opportunity = selectors.opportunity_get(user=user, id=id)
    role = selectors.opportunity_contact_roles(user=user, opportunity=opportunity).get(pk=role_id)
    services.opportunity_remove_contact_role(
        actor=user,
        opportunity=opportunity,
        contact_role=role,
        expected_version=expected_version(request),
    )
    return Status(204, None)


for endpoint in (timeline_endpoint, history_endpoint):
    endpoint(
        opportunities,
        RecordType.OPPORTUNITY,
        lambda user, id: selectors.opportunity_get(user=user, id=id),
    )


SEEDED_NAME = (
    "As stored: a row created at setup keeps its English name here until an administrator "
    "renames it (the web interface shows such a name in the reader's language); after a "
    "rename, the name as typed."
)
SEEDED_KEY = (
    "Stable identifier of a row created at setup (e.g. `proposal`), empty for rows "
    "administrators added."
)


class StageOut(Schema):
    id: int
    key: str = Field(description=SEEDED_KEY)
    name: str = Field(description=SEEDED_NAME)
    position: int
    probability: int
    forecast_category: ForecastCategory
    is_won: bool
    is_lost: bool


class PipelineOut(Schema):
    id: int
    key: str = Field(description=SEEDED_KEY)
    name: str = Field(description=SEEDED_NAME)
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
        create=lambda actor, **data: services.pipeline_create(actor=actor, **data),
        update=lambda actor, pipeline, version, **data: services.pipeline_update(
            actor=actor, pipeline=pipeline, **data
        ),
        delete=lambda actor, pipeline: services.pipeline_delete(actor=actor, pipeline=pipeline),
        to_kwargs=lambda request, data: data,
        write_auth=admin_auth(),
    ),
)


class StageSpecIn(StageIn):
    id: Id | None = Field(
        None, description="A stage kept (renamed, moved, re-weighted); none for a new one."
    )


class StagesIn(StrictSchema):
    stages: list[StageSpecIn] = Field(
        ...,
        min_length=2,
        max_length=30,
        description="Every stage of the pipeline, in their new order. Stages left out are "
        "deleted (refused while they hold opportunities).",
    )


@pipelines.put(
    "/{int:id}/stages",
    response={200: PipelineOut, **WRITE_PROBLEMS},
    operation_id="pipeline_update_stages",
    summary="Replace a pipeline's stages: rename, re-weight, reorder, add and remove",
    auth=admin_auth(),
)
def update_stages(request, id: Id, payload: StagesIn):
    pipeline = selectors.pipeline_get(id=id)
    specs = [stage.model_dump(exclude_none=True) for stage in payload.stages]
    stages.pipeline_update_stages(actor=request.auth, pipeline=pipeline, stages=specs)
    return selectors.pipeline_get(id=id)


register_picklist(
    lost_reasons,
    PickList(
        name="lost_reason",
        entries=selectors.lost_reason_list,
        get=selectors.lost_reason_get,
        create=reasons.lost_reason_create,
        update=reasons.lost_reason_update,
        write_auth=admin_auth(),
    ),
)


class ExchangeRateOut(Schema):
    id: int
    currency: CurrencyOut = Field(description="The currency the rate converts from.")
    rate: DecimalOut = Field(
        description="What one unit of `currency` is worth in the base currency "
        "(`VORSPRUNG_DEFAULT_CURRENCY`)."
    )
    valid_from: datetime.date = Field(
        description="The first day the rate applies; it applies until a later rate of the "
        "same currency."
    )
    created_at: datetime.datetime


class ExchangeRatePatch(StrictSchema):
    currency: Currency = unchanged()
    rate: Rate = unchanged()
    valid_from: IsoDate = unchanged()


class ExchangeRateCreate(ExchangeRatePatch):
    currency: Currency
    rate: Rate
    valid_from: IsoDate


def _exchange_rate_list(user, filters):
    rates_, _values = ExchangeRateFilterSet.narrow(rates.exchange_rate_list(), filters, user=user)
    return rates_


# Dated rates for converting totals into the base currency (never stored amounts). Anyone
# signed in reads them; administrators change them (the services check).
register_crud(
    exchange_rates,
    Resource(
        name="exchange_rate",
        out=ExchangeRateOut,
        filterset=ExchangeRateFilterSet,
        list_selector=_exchange_rate_list,
        get_selector=lambda user, id: rates.exchange_rate_get(id=id),
        create_in=ExchangeRateCreate,
        update_in=ExchangeRatePatch,
        create=lambda actor, **data: rates.exchange_rate_create(actor=actor, **data),
        update=lambda actor, exchange_rate, version, **data: rates.exchange_rate_update(
            actor=actor, exchange_rate=exchange_rate, **data
        ),
        delete=lambda actor, exchange_rate: rates.exchange_rate_delete(
            actor=actor, exchange_rate=exchange_rate
        ),
        write_auth=admin_auth(),
    ),
)
