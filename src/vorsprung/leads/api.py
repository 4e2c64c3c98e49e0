"""Leads over HTTP: CRUD, status operations, conversion matches and conversion."""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.params import Query
from pydantic import Field

from vorsprung.accounts.permissions import owner_for
from vorsprung.activities.api import timeline_endpoint
from vorsprung.core.api.crud import Resource, register_crud
from vorsprung.core.api.schemas import (
    API_ROOT,
    PROBLEMS,
    WRITE_PROBLEMS,
    AddressIn,
    AddressOut,
    Amount,
    AmountOut,
    Count,
    Currency,
    CurrencyOrEmptyOut,
    DecimalOut,
    Flag,
    Id,
    IsoDate,
    IsoDateTime,
    StrictSchema,
    expected_version,
    replace_nulls,
    resolve_by_id,
    set_etag,
    set_location,
    unchanged,
    versioning,
)
from vorsprung.core.records import RecordType
from vorsprung.customers.api import ContactOut, OrganizationOut, PersonIn, PersonOut
from vorsprung.customers.choices import Industry, SizeBand
from vorsprung.customers.selectors import contact_list, organization_list
from vorsprung.history.api import history_endpoint
from vorsprung.leads import selectors, services
from vorsprung.leads.choices import LeadSource, LeadStatus
from vorsprung.leads.filtersets import LeadFilterSet
from vorsprung.sales.api import OpportunityOut, resolve_pipeline, resolve_stage

router = Router(tags=["leads"])


class LeadOut(PersonOut, AddressOut):
    id: int
    version: int
    status: LeadStatus
    company: str
    website: str
    domain: str
    industry: str
    size_band: str
    employee_count: int | None
    annual_revenue: AmountOut | None
    source: LeadSource
    source_detail: str
    owner_id: int | None
    next_follow_up_at: datetime.datetime | None
    description: str
    need: str
    need_confirmed: bool
    budget_amount: AmountOut | None
    budget_currency: CurrencyOrEmptyOut
    budget_confirmed: bool
    is_decision_maker: bool | None
    decision_maker: str
    expected_decision_date: datetime.date | None
    qualification_gaps: list[str]
    disqualification_reason: str
    score: int | None
    conversion_probability: DecimalOut | None
    converted_at: datetime.datetime | None
    converted_contact_id: int | None
    converted_organization_id: int | None
    converted_opportunity_id: int | None
    attributes: dict[str, Any]
    created_at: datetime.datetime
    updated_at: datetime.datetime


class LeadPatch(PersonIn, AddressIn):
    company: str | None = Field(None, max_length=200)
    website: str | None = Field(None, max_length=300)
    industry: Industry | None = None
    size_band: SizeBand | None = None
    employee_count: Count | None = Field(None, ge=0, le=10_000_000)
    annual_revenue: Amount | None = None
    source: LeadSource = unchanged()
    source_detail: str | None = Field(None, max_length=200)
    owner_id: Id | None = None
    next_follow_up_at: IsoDateTime | None = None
    description: str | None = Field(None, max_length=20_000)
    need: str | None = Field(None, max_length=5_000)
    need_confirmed: Flag = unchanged()
    budget_amount: Amount | None = None
    budget_currency: Currency | None = None
    budget_confirmed: Flag = unchanged()
    is_decision_maker: Flag | None = None
    decision_maker: str | None = Field(None, max_length=200)
    expected_decision_date: IsoDate | None = None
    attributes: dict[str, Any] | None = None


class LeadCreate(LeadPatch):
    pass


NOT_NULL_TEXT = [
    "salutation",
    "first_name",
    "last_name",
    "email",
    "phone",
    "mobile",
    "job_title",
    "company",
    "website",
    "industry",
    "size_band",
    "street",
    "postal_code",
    "city",
    "region",
    "country",
    "source_detail",
    "description",
    "need",
    "budget_currency",
    "decision_maker",
]


def lead_kwargs(request: HttpRequest, data: dict) -> dict:
    """API body → service arguments: ids become records, null text becomes ""."""
    replace_nulls(data, NOT_NULL_TEXT, "")
    replace_nulls(data, ("attributes",), {})
    if "owner_id" in data:
        data["owner"] = owner_for(request.auth, data.pop("owner_id"))
    return data


register_crud(
    router,
    Resource(
        name="lead",
        out=LeadOut,
        filterset=LeadFilterSet,
        list_selector=lambda user, filters: selectors.lead_list(user=user, filters=filters),
        get_selector=lambda user, id: selectors.lead_get(user=user, id=id),
        create_in=LeadCreate,
        update_in=LeadPatch,
        create=lambda actor, **data: services.lead_create(actor=actor, **data),
        update=lambda actor, lead, version, **data: services.lead_update(
            actor=actor, lead=lead, expected_version=version, **data
        ),
        delete=lambda actor, lead: services.lead_delete(actor=actor, lead=lead),
        to_kwargs=lead_kwargs,
    ),
)


class StatusIn(StrictSchema):
    status: LeadStatus
    reason: str = Field("", max_length=255)


class ReasonIn(StrictSchema):
    reason: str = Field(..., max_length=255)


@router.post(
    "/{int:id}/status",
    response={200: LeadOut, **WRITE_PROBLEMS},
    operation_id="lead_change_status",
    summary="Move a lead to another status",
    openapi_extra=versioning(if_match=True, etag=(200,)),
)
def change_status(request, id: Id, payload: StatusIn, response: HttpResponse):
    lead = selectors.lead_get(user=request.auth, id=id)
    lead = services.lead_change_status(
        actor=request.auth,
        lead=lead,
        status=payload.status,
        reason=payload.reason,
        expected_version=expected_version(request),
    )
    set_etag(response, lead)
    return lead


@router.post(
    "/{int:id}/disqualify",
    response={200: LeadOut, **WRITE_PROBLEMS},
    operation_id="lead_disqualify",
    summary="Close a lead as unqualified",
    openapi_extra=versioning(if_match=True, etag=(200,)),
)
def disqualify(request, id: Id, payload: ReasonIn, response: HttpResponse):
    lead = selectors.lead_get(user=request.auth, id=id)
    lead = services.lead_disqualify(
        actor=request.auth,
        lead=lead,
        reason=payload.reason,
        expected_version=expected_version(request),
    )
    set_etag(response, lead)
    return lead


@router.post(
    "/{int:id}/reopen",
    response={200: LeadOut, **WRITE_PROBLEMS},
    operation_id="lead_reopen",
    summary="Reopen an unqualified lead",
    openapi_extra=versioning(if_match=True, etag=(200,)),
)
def reopen(request, id: Id, response: HttpResponse):
    lead = selectors.lead_get(user=request.auth, id=id)
    lead = services.lead_reopen(
        actor=request.auth, lead=lead, expected_version=expected_version(request)
    )
    set_etag(response, lead)
    return lead


class OrganizationMatchOut(Schema):
    reason: str
    score: int
    organization: OrganizationOut


class ContactMatchOut(Schema):
    reason: str
    score: int
    contact: ContactOut


class MatchesOut(Schema):
    organizations: list[OrganizationMatchOut]
    contacts: list[ContactMatchOut]


@router.get(
    "/{int:id}/conversion-matches",
    response={200: MatchesOut, **PROBLEMS},
    operation_id="lead_conversion_matches",
    summary="Existing organizations and contacts the lead may be attached to",
)
def conversion_matches(request, id: Id):
    lead = selectors.lead_get(user=request.auth, id=id)
    matches = selectors.conversion_matches(user=request.auth, lead=lead)
    return {
        "organizations": [
            {"reason": m.reason, "score": m.score, "organization": m.record}
            for m in matches.organizations
        ],
        "contacts": [
            {"reason": m.reason, "score": m.score, "contact": m.record} for m in matches.contacts
        ],
    }


class OpportunityOptionsIn(StrictSchema):
    name: str | None = Field(None, max_length=200)
    amount: Amount | None = None
    currency: Currency | None = None
    close_date: IsoDate | None = None
    pipeline_id: Id | None = None
    stage_id: Id | None = None


class ConvertIn(StrictSchema):
    organization_id: Id | None = None
    contact_id: Id | None = None
    create_opportunity: Flag = True
    opportunity: OpportunityOptionsIn | None = None
    accept_qualification_gaps: Flag = Field(
        False,
        description="Convert although need, budget, authority or timeline is not yet "
        "confirmed. Without it such a lead is refused (422); when the conversion policy "
        "requires a complete checklist it is refused regardless.",
    )


class ConversionOut(Schema):
    lead: LeadOut
    contact: ContactOut
    organization: OrganizationOut | None
    opportunity: OpportunityOut | None


@router.post(
    "/{int:id}/convert",
    response={201: ConversionOut, **WRITE_PROBLEMS},
    operation_id="lead_convert",
    summary="Convert a lead into a contact, an organization and an opportunity",
    description="`Location` names the new opportunity, or the contact when no opportunity "
    "is created. `If-Match` names the lead's version.",
    openapi_extra=versioning(if_match=True, location=True),
)
def convert(request, id: Id, payload: ConvertIn, response: HttpResponse):
    user = request.auth
    lead = selectors.lead_get(user=user, id=id)
    options = payload.opportunity.model_dump(exclude_unset=True) if payload.opportunity else {}
    if "pipeline_id" in options:
        options["pipeline"] = resolve_pipeline(
            options.pop("pipeline_id"), "opportunity.pipeline_id"
        )
    if "stage_id" in options:
        options["stage"] = resolve_stage(options.pop("stage_id"), "opportunity.stage_id")
    result = services.lead_convert(
        actor=user,
        lead=lead,
        organization=resolve_by_id(
            organization_list(user=user), payload.organization_id, "organization_id"
        ),
        contact=resolve_by_id(contact_list(user=user), payload.contact_id, "contact_id"),
        create_opportunity=payload.create_opportunity,
        opportunity={k: v for k, v in options.items() if v is not None},
        accept_qualification_gaps=payload.accept_qualification_gaps,
        expected_version=expected_version(request),
    )
    created = result.opportunity or result.contact
    prefix = "opportunities" if result.opportunity else "contacts"
    set_location(request, response, f"{API_ROOT}{prefix}/{created.pk}")
    return Status(201, result)


timeline_endpoint(router, RecordType.LEAD, lambda user, id: selectors.lead_get(user=user, id=id))
history_endpoint(router, RecordType.LEAD, lambda user, id: selectors.lead_get(user=user, id=id))

__all__ = ["router", "LeadOut", "Query"]
