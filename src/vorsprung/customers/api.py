"""Organizations and contacts over HTTP."""

import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from pydantic import Field

from vorsprung.accounts.permissions import owner_for
from vorsprung.activities.api import timeline_endpoint
from vorsprung.core.api.crud import Resource, register_crud
from vorsprung.core.api.schemas import (
    WRITE_PROBLEMS,
    AddressIn,
    AddressOut,
    Amount,
    AmountOut,
    Count,
    Currency,
    CurrencyOrEmptyOut,
    Flag,
    Id,
    StrictSchema,
    expected_version,
    replace_nulls,
    resolve_by_id,
    set_etag,
    unchanged,
    versioning,
)
from vorsprung.core.records import RecordType
from vorsprung.customers import selectors, services
from vorsprung.customers.choices import Industry, Lifecycle, Salutation, SizeBand
from vorsprung.customers.filtersets import ContactFilterSet, OrganizationFilterSet
from vorsprung.history.api import history_endpoint

organizations = Router(tags=["organizations"])
contacts = Router(tags=["contacts"])


def resolve_owner(request: HttpRequest, data: dict) -> dict:
    if "owner_id" in data:
        data["owner"] = owner_for(request.auth, data.pop("owner_id"))
    return data


class PersonOut(Schema):
    """What leads and contacts show of the person."""

    salutation: str
    first_name: str
    last_name: str
    email: str
    phone: str
    mobile: str
    job_title: str


class PersonIn(StrictSchema):
    salutation: Salutation | None = None
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=50)
    mobile: str | None = Field(None, max_length=50)
    job_title: str | None = Field(None, max_length=150)


class OrganizationOut(AddressOut):
    id: int
    version: int
    name: str
    website: str
    domain: str
    industry: str
    size_band: str
    employee_count: int | None
    annual_revenue: AmountOut | None
    annual_revenue_currency: CurrencyOrEmptyOut
    phone: str
    lifecycle: Lifecycle
    description: str
    owner_id: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class OrganizationPatch(AddressIn):
    name: str = unchanged(min_length=1, max_length=200)
    website: str | None = Field(None, max_length=300)
    industry: Industry | None = None
    size_band: SizeBand | None = None
    employee_count: Count | None = Field(None, ge=0, le=10_000_000)
    annual_revenue: Amount | None = None
    annual_revenue_currency: Currency | None = None
    phone: str | None = Field(None, max_length=50)
    description: str | None = Field(None, max_length=20_000)
    owner_id: Id | None = None


class OrganizationCreate(OrganizationPatch):
    name: str = Field(..., min_length=1, max_length=200)


ORGANIZATION_TEXT = [
    "website",
    "industry",
    "size_band",
    "annual_revenue_currency",
    "phone",
    "street",
    "postal_code",
    "city",
    "region",
    "country",
    "description",
]


def organization_kwargs(request: HttpRequest, data: dict) -> dict:
    return resolve_owner(request, replace_nulls(data, ORGANIZATION_TEXT, ""))


register_crud(
    organizations,
    Resource(
        name="organization",
        out=OrganizationOut,
        filterset=OrganizationFilterSet,
        list_selector=lambda user, f: selectors.organization_list(user=user, filters=f),
        get_selector=lambda user, id: selectors.organization_get(user=user, id=id),
        create_in=OrganizationCreate,
        update_in=OrganizationPatch,
        create=lambda actor, **data: services.organization_create(actor=actor, **data),
        update=lambda actor, organization, version, **data: services.organization_update(
            actor=actor, organization=organization, expected_version=version, **data
        ),
        delete=lambda actor, organization: services.organization_delete(
            actor=actor, organization=organization
        ),
        to_kwargs=organization_kwargs,
    ),
)


class LifecycleIn(StrictSchema):
    lifecycle: Lifecycle
    note: str = Field("", max_length=255, description="Why; kept in the history.")


@organizations.post(
    "/{int:id}/lifecycle",
    response={200: OrganizationOut, **WRITE_PROBLEMS},
    operation_id="organization_change_lifecycle",
    summary="Move an organization to another lifecycle stage",
    openapi_extra=versioning(if_match=True, etag=(200,)),
)
def change_lifecycle(request, id: Id, payload: LifecycleIn, response: HttpResponse):
    organization = selectors.organization_get(user=request.auth, id=id)
    organization = services.organization_change_lifecycle(
        actor=request.auth,
        organization=organization,
        lifecycle=payload.lifecycle,
        note=payload.note,
        expected_version=expected_version(request),
    )
    set_etag(response, organization)
    return organization


for endpoint in (timeline_endpoint, history_endpoint):
    endpoint(
        organizations,
        RecordType.ORGANIZATION,
        lambda user, id: selectors.organization_get(user=user, id=id),
    )


class ContactOut(PersonOut, AddressOut):
    id: int
    version: int
    organization_id: int | None
    is_decision_maker: bool
    do_not_call: bool
    email_opt_out: bool
    description: str
    owner_id: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ContactPatch(PersonIn, AddressIn):
    organization_id: Id | None = None
    is_decision_maker: Flag = unchanged()
    do_not_call: Flag = unchanged()
    email_opt_out: Flag = unchanged()
    description: str | None = Field(None, max_length=20_000)
    owner_id: Id | None = None


class ContactCreate(ContactPatch):
    pass


CONTACT_TEXT = [
    "salutation",
    "first_name",
    "last_name",
    "email",
    "phone",
    "mobile",
    "job_title",
    "street",
    "postal_code",
    "city",
    "region",
    "country",
    "description",
]


def contact_kwargs(request: HttpRequest, data: dict) -> dict:
    replace_nulls(data, CONTACT_TEXT, "")
    if "organization_id" in data:
        data["organization"] = resolve_by_id(
            selectors.organization_list(user=request.auth),
            data.pop("organization_id"),
            "organization_id",
        )
    return resolve_owner(request, data)


register_crud(
    contacts,
    Resource(
        name="contact",
        out=ContactOut,
        filterset=ContactFilterSet,
        list_selector=lambda user, f: selectors.contact_list(user=user, filters=f),
        get_selector=lambda user, id: selectors.contact_get(user=user, id=id),
        create_in=ContactCreate,
        update_in=ContactPatch,
        create=lambda actor, **data: services.contact_create(actor=actor, **data),
        update=lambda actor, contact, version, **data: services.contact_update(
            actor=actor, contact=contact, expected_version=version, **data
        ),
        delete=lambda actor, contact: services.contact_delete(actor=actor, contact=contact),
        to_kwargs=contact_kwargs,
    ),
)
for endpoint in (timeline_endpoint, history_endpoint):
    endpoint(contacts, RecordType.CONTACT, lambda user, id: selectors.contact_get(user=user, id=id))
