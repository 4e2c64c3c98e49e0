"""Leads over HTTP: CRUD, status operations, conversion matches and conversion."""

import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.params import Query
from pydantic import Field

from vorsprung.accounts.authentication import admin_auth
from vorsprung.accounts.permissions import owner_for
from vorsprung.activities.api import timeline_endpoint
from vorsprung.core.api.crud import Resource, api_field_names, register_crud
from vorsprung.core.api.picklists import PickList, register_picklist
from vorsprung.core.api.rendering import json_response, row
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
from vorsprung.core.errors import ValidationError
from vorsprung.core.records import RecordType
from vorsprung.customers.api import ContactOut, OrganizationOut, PersonIn, PersonOut
from vorsprung.customers.choices import Industry, SizeBand
from vorsprung.customers.selectors import contact_list, organization_list
from vorsprung.history.api import history_endpoint
from vorsprung.leads import policy, selectors, services
from vorsprung.leads.choices import LeadSource, LeadStatus
from vorsprung.leads.filtersets import LeadFilterSet
from vorsprung.leads.models import Lead
from vorsprung.leads.selectors import LEAD_BULK_MAX
from vorsprung.sales.api import OpportunityOut, resolve_pipeline, resolve_stage

router = Router(tags=["leads"])
disqualification_reasons = Router(tags=["disqualification reasons"])
conversion_policy = Router(tags=["conversion policy"])


# The qualification checklist as ``leads.qualification`` defines it, for the OpenAPI document.
QUALIFICATION_DOCS = {
    "need": "What the lead needs. The checklist's need item is done when this is written "
    "AND `need_confirmed` is true.",
    "need_confirmed": "The need was confirmed with the lead. Counts only together with a "
    "written `need`.",
    "budget_amount": "The budget the lead has. The checklist's budget item is done when an "
    "amount is entered AND `budget_confirmed` is true.",
    "budget_confirmed": "The budget was confirmed with the lead. Counts only together with "
    "`budget_amount`.",
    "is_decision_maker": "The lead decides. The authority item is done when this is true OR "
    "`decision_maker` names who decides; naming them is the evidence, so authority has no "
    "confirmation flag.",
    "decision_maker": "Who decides, when it is not the lead (see `is_decision_maker`).",
    "expected_decision_date": "When the lead expects to decide. The timeline item is done "
    "when a date is entered and, while the lead is open, it is not in the past.",
    "qualification_gaps": "The checklist items still missing, in order (need, budget, "
    "authority, timeline). An item is done when its evidence is recorded and confirmed: need "
    "= `need` written AND `need_confirmed`; budget = `budget_amount` entered AND "
    "`budget_confirmed`; authority = `is_decision_maker` true OR `decision_maker` named; "
    "timeline = `expected_decision_date` entered and, for an open lead, not in the past. "
    "Converting a lead with gaps needs `accept_qualification_gaps`.",
}


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
    need: str = Field(description=QUALIFICATION_DOCS["need"])
    need_confirmed: bool = Field(description=QUALIFICATION_DOCS["need_confirmed"])
    budget_amount: AmountOut | None = Field(description=QUALIFICATION_DOCS["budget_amount"])
    budget_currency: CurrencyOrEmptyOut
    budget_confirmed: bool = Field(description=QUALIFICATION_DOCS["budget_confirmed"])
    is_decision_maker: bool | None = Field(description=QUALIFICATION_DOCS["is_decision_maker"])
    decision_maker: str = Field(description=QUALIFICATION_DOCS["decision_maker"])
    expected_decision_date: datetime.date | None = Field(
        description=QUALIFICATION_DOCS["expected_decision_date"]
    )
    qualification_gaps: list[Literal["need", "budget", "authority", "timeline"]] = Field(
        description=QUALIFICATION_DOCS["qualification_gaps"]
    )
    disqualification_reason: str = Field(
        description="The reason as given, stored as text: a reason from the list is kept "
        "by its stored (for a seeded reason, English) label, optionally followed by "
        "`: details`."
    )
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
    need: str | None = Field(None, max_length=5_000, description=QUALIFICATION_DOCS["need"])
    need_confirmed: Flag = unchanged(description=QUALIFICATION_DOCS["need_confirmed"])
    budget_amount: Amount | None = Field(None, description=QUALIFICATION_DOCS["budget_amount"])
    budget_currency: Currency | None = None
    budget_confirmed: Flag = unchanged(description=QUALIFICATION_DOCS["budget_confirmed"])
    is_decision_maker: Flag | None = Field(
        None, description=QUALIFICATION_DOCS["is_decision_maker"]
    )
    decision_maker: str | None = Field(
        None, max_length=200, description=QUALIFICATION_DOCS["decision_maker"]
    )
    expected_decision_date: IsoDate | None = Field(
        None, description=QUALIFICATION_DOCS["expected_decision_date"]
    )
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


class BulkIn(StrictSchema):
    """One action on several leads, all or nothing."""

    action: Literal["assign", "status", "disqualify"] = Field(
        ...,
        description="assign: give the leads ``owner_id``; status: move them to ``status`` "
        "(unqualified needs ``reason``); disqualify: close them as unqualified with "
        "``reason``.",
    )
    ids: list[Id] | None = Field(
        None,
        min_length=1,
        max_length=LEAD_BULK_MAX,
        description=f"The leads, at most {LEAD_BULK_MAX}; or give ``filters`` instead.",
    )
    filters: str | None = Field(
        None,
        max_length=2_000,
        description="Every lead matching these filters, written as the lead list's query "
        "string (`status=new&owner=me&source=web_form`; the parameters of `GET /leads`), "
        f"at most {LEAD_BULK_MAX}; or give ``ids`` instead.",
    )
    owner_id: Id | None = None
    status: LeadStatus | None = None
    reason: str = Field("", max_length=255)


class BulkOut(Schema):
    count: int
    items: list[LeadOut]


@router.post(
    "/bulk",
    response={200: BulkOut, **WRITE_PROBLEMS},
    operation_id="lead_bulk",
    summary="Assign, move or disqualify several leads at once, all or none",
)
def bulk(request, payload: BulkIn):
    user = request.auth
    if (payload.ids is None) == (payload.filters is None):
        raise ValidationError({"ids": [_("Give either the leads' ids or filters, not both.")]})
    leads = selectors.lead_bulk_selection(user=user, ids=payload.ids, filters=payload.filters)
    with api_field_names(BulkIn, {"leads": "ids", "owner": "owner_id"}):
        if payload.action == "assign":
            if "owner_id" not in payload.model_fields_set:
                raise ValidationError({"owner_id": [_("Name the new owner.")]})
            owner = owner_for(user, payload.owner_id)
            changed = services.lead_bulk_assign(actor=user, leads=leads, owner=owner)
        elif payload.action == "status":
            if payload.status is None:
                raise ValidationError({"status": [_("Name the new status.")]})
            changed = services.lead_bulk_change_status(
                actor=user, leads=leads, status=payload.status, reason=payload.reason
            )
        else:
            changed = services.lead_bulk_disqualify(actor=user, leads=leads, reason=payload.reason)
    return {"count": len(changed), "items": changed}


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
    options = payload.opportunity.model_dump(exclude_unset=True) if payload.opportunity else {}
    if "pipeline_id" in options:
        options["pipeline"] = resolve_pipeline(
            options.pop("pipeline_id"), "opportunity.pipeline_id"
        )
    if "stage_id" in options:
        options["stage"] = resolve_stage(options.pop("stage_id"), "opportunity.stage_id")
    # The service reads the lead with its lock and the user's visibility: one query.
    result = services.lead_convert(
        actor=user,
        lead=Lead(pk=id),
        organization=resolve_by_id(
            organization_list(user=user), payload.organization_id, "organization_id"
        ),
        contact=resolve_by_id(contact_list(user=user), payload.contact_id, "contact_id"),
        create_opportunity=payload.create_opportunity,
        opportunity={k: v for k, v in options.items() if v is not None},
        accept_qualification_gaps=payload.accept_qualification_gaps,
        expected_version=expected_version(request),
    )
    body = {
        "lead": row(LeadOut, result.lead),
        "contact": row(ContactOut, result.contact),
        "organization": row(OrganizationOut, result.organization) if result.organization else None,
        "opportunity": row(OpportunityOut, result.opportunity) if result.opportunity else None,
    }
    answer = json_response(body, status=201)
    created = result.opportunity or result.contact
    prefix = "opportunities" if result.opportunity else "contacts"
    set_location(request, answer, f"{API_ROOT}{prefix}/{created.pk}")
    return answer


register_picklist(
    disqualification_reasons,
    PickList(
        name="disqualify_reason",
        entries=selectors.disqualify_reason_list,
        get=selectors.disqualify_reason_get,
        create=policy.disqualify_reason_create,
        update=policy.disqualify_reason_update,
        delete=policy.disqualify_reason_delete,
        write_auth=admin_auth(),
    ),
)


class ConversionPolicyOut(Schema):
    require_complete_qualification: bool = Field(
        description="On: a lead converts only with a complete qualification checklist. Off: "
        "gaps need ``accept_qualification_gaps``."
    )


class ConversionPolicyIn(StrictSchema):
    require_complete_qualification: bool


@conversion_policy.get(
    "",
    response={200: ConversionPolicyOut, **PROBLEMS},
    operation_id="conversion_policy_get",
    summary="How strict converting a lead is",
)
def get_conversion_policy(request):
    return selectors.conversion_policy_get()


@conversion_policy.put(
    "",
    response={200: ConversionPolicyOut, **WRITE_PROBLEMS},
    operation_id="conversion_policy_update",
    summary="Require a complete qualification checklist to convert, or not",
    auth=admin_auth(),
)
def update_conversion_policy(request, payload: ConversionPolicyIn):
    return policy.conversion_policy_update(
        actor=request.auth, require_complete_qualification=payload.require_complete_qualification
    )


timeline_endpoint(router, RecordType.LEAD, lambda user, id: selectors.lead_get(user=user, id=id))
history_endpoint(router, RecordType.LEAD, lambda user, id: selectors.lead_get(user=user, id=id))

__all__ = ["router", "disqualification_reasons", "conversion_policy", "LeadOut", "Query"]
