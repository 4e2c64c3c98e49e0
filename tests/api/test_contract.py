"""What a client generated from the OpenAPI document relies on: strict types in bodies,
money as decimal strings and ISO 4217 codes, PATCH nullability that says what null does,
and an enum for every list's ordering."""

import pytest

from tests.api.helpers import Api, field_errors, problem
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
    TeamFactory,
)
from vorsprung.leads.models import Lead
from vorsprung.sales.models import Opportunity


@pytest.fixture
def document(api):
    return api.get("/openapi.json").json()


def _schema(document, name: str) -> dict:
    return document["components"]["schemas"][name]


def _nullable(prop: dict) -> bool:
    return any(option.get("type") == "null" for option in prop.get("anyOf", ()))


# --- the document --------------------------------------------------------------------

# What PATCH may not set to null: the fields without an empty value. Every other field of
# a PATCH body is nullable, and null clears it.
NOT_NULLABLE = {
    "LeadPatch": {"source", "need_confirmed", "budget_confirmed"},
    "ContactPatch": {"is_decision_maker", "do_not_call", "email_opt_out"},
    "OrganizationPatch": {"name"},
    "OpportunityPatch": {"name", "organization_id", "currency", "expected_close_date"},
    "ActivityPatch": {"kind", "subject", "occurred_at", "done"},
    "UserPatch": {"username", "role", "is_active"},
    "TeamPatch": {"name"},
    "PipelinePatch": {"name", "is_default", "is_active"},
}


@pytest.mark.parametrize("name", NOT_NULLABLE)
def test_patch_bodies_declare_null_exactly_where_it_clears(document, name):
    properties = _schema(document, name)["properties"]

    not_nullable = {field for field, prop in properties.items() if not _nullable(prop)}

    assert not_nullable == NOT_NULLABLE[name]
    assert all("default" not in properties[field] for field in not_nullable)


def test_every_list_orders_by_an_enum(document):
    lists = 0
    for path, operations in document["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter["name"] == "ordering":
                lists += 1
                assert parameter["schema"]["enum"], path
                assert parameter["schema"]["default"] in parameter["schema"]["enum"]
    # leads, contacts, organizations, opportunities, activities, pipelines, users, teams,
    # exchange rates
    assert lists == 9


MONEY = [
    ("LeadOut", "annual_revenue"),
    ("LeadOut", "budget_amount"),
    ("OrganizationOut", "annual_revenue"),
    ("OpportunityOut", "amount"),
    ("LeadPatch", "budget_amount"),
    ("OrganizationPatch", "annual_revenue"),
    ("OpportunityPatch", "amount"),
    ("OpportunityOptionsIn", "amount"),
]
CURRENCIES = [
    ("LeadOut", "budget_currency"),
    ("OrganizationOut", "annual_revenue_currency"),
    ("OpportunityOut", "currency"),
    ("LeadPatch", "budget_currency"),
    ("OrganizationPatch", "annual_revenue_currency"),
    ("OpportunityPatch", "currency"),
    ("OpportunityOptionsIn", "currency"),
]


def _value_schema(prop: dict) -> dict:
    return next((o for o in prop.get("anyOf", ()) if o.get("type") != "null"), prop)


@pytest.mark.parametrize(("schema", "field"), MONEY)
def test_amounts_are_decimal_strings(document, schema, field):
    prop = _value_schema(_schema(document, schema)["properties"][field])

    assert (prop["type"], prop["format"]) == ("string", "decimal")
    assert prop["pattern"]


@pytest.mark.parametrize(("schema", "field"), CURRENCIES)
def test_currencies_are_iso_4217_codes(document, schema, field):
    prop = _value_schema(_schema(document, schema)["properties"][field])

    assert (prop["type"], prop["format"], prop["maxLength"]) == ("string", "iso-4217", 3)


# --- strict bodies -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"owner_id": True}, "owner_id", "Input should be a valid integer"),
        ({"owner_id": "3"}, "owner_id", "Input should be a valid integer"),
        ({"need_confirmed": "yes"}, "need_confirmed", "Input should be a valid boolean"),
        ({"need_confirmed": 1}, "need_confirmed", "Input should be a valid boolean"),
        (
            {"expected_decision_date": 0},
            "expected_decision_date",
            "Input should be an ISO 8601 date (YYYY-MM-DD).",
        ),
        (
            {"expected_decision_date": "2030-01-01T10:00:00Z"},
            "expected_decision_date",
            "Input should be an ISO 8601 date (YYYY-MM-DD).",
        ),
        (
            {"next_follow_up_at": 0.5},
            "next_follow_up_at",
            "Input should be an ISO 8601 date and time (YYYY-MM-DDTHH:MM:SS±HH:MM).",
        ),
        (
            {"next_follow_up_at": "1700000000"},
            "next_follow_up_at",
            "Input should be an ISO 8601 date and time (YYYY-MM-DDTHH:MM:SS±HH:MM).",
        ),
        (
            {"budget_amount": 1200.5},
            "budget_amount",
            'Send the amount as a decimal string with at most two decimals, e.g. "12500.00".',
        ),
        (
            {"budget_amount": "1e3"},
            "budget_amount",
            'Send the amount as a decimal string with at most two decimals, e.g. "12500.00".',
        ),
        (
            {"budget_currency": "XYZ"},
            "budget_currency",
            "Send an ISO 4217 currency code, e.g. EUR.",
        ),
        ({"source": None}, "source", "Input should be 'web_form', "),
    ],
)
def test_a_lead_body_is_strictly_typed(api, rep, body, field, message):
    lead = LeadFactory(owner=rep, source="referral")

    errors = field_errors(problem(api.patch(f"/leads/{lead.pk}", body), 422))

    assert list(errors) == [field]
    assert errors[field][0].startswith(message)
    assert Lead.objects.get(pk=lead.pk).source == "referral"


def test_money_travels_as_decimal_strings_and_codes_in_capitals(api, rep):
    lead = LeadFactory(owner=rep)

    response = api.patch(f"/leads/{lead.pk}", {"budget_amount": "1200.5", "budget_currency": "chf"})

    assert response.status_code == 200, response.content
    assert (response.json()["budget_amount"], response.json()["budget_currency"]) == (
        "1200.50",
        "CHF",
    )


def test_null_clears_a_budget(api, rep):
    lead = LeadFactory(owner=rep, budget_amount=500, budget_currency="EUR")

    response = api.patch(f"/leads/{lead.pk}", {"budget_amount": None, "budget_currency": None})

    assert response.status_code == 200, response.content
    assert (response.json()["budget_amount"], response.json()["budget_currency"]) == (None, "")


def test_null_probability_follows_the_stage_again(api, rep):
    opportunity = OpportunityFactory(owner=rep, organization=OrganizationFactory(owner=rep))
    api.patch(f"/opportunities/{opportunity.pk}", {"probability": 80})

    response = api.patch(f"/opportunities/{opportunity.pk}", {"probability": None})

    stored = Opportunity.objects.get(pk=opportunity.pk)
    assert response.json()["probability"] == stored.stage.probability
    assert stored.probability_is_manual is False


# Each nullable field of each PATCH body, set to null by an administrator, is accepted.
def _nullable_fields(document, name):
    properties = _schema(document, name)["properties"]
    return sorted(field for field, prop in properties.items() if _nullable(prop))


RECORDS = {
    "LeadPatch": ("/leads", lambda admin: LeadFactory(owner=admin, email="a@b.example")),
    "ContactPatch": ("/contacts", lambda admin: ContactFactory(owner=admin, email="c@d.example")),
    "OrganizationPatch": ("/organizations", lambda admin: OrganizationFactory(owner=admin)),
    "OpportunityPatch": (
        "/opportunities",
        lambda admin: OpportunityFactory(organization=OrganizationFactory(owner=admin)),
    ),
    "ActivityPatch": (
        "/activities",
        lambda admin: ActivityFactory(owner=admin, lead=LeadFactory(owner=admin)),
    ),
    "TeamPatch": ("/teams", lambda admin: TeamFactory()),
}


@pytest.mark.parametrize("name", RECORDS)
def test_every_nullable_patch_field_takes_null(admin, name):
    api = Api(admin)
    path, make = RECORDS[name]
    fields = _nullable_fields(api.get("/openapi.json").json(), name)
    refused = {}
    for field in fields:
        if name == "ActivityPatch" and field == "lead_id":
            continue  # an activity belongs to a record; its other links are cleared
        record = make(admin)
        response = api.patch(f"{path}/{record.pk}", {field: None})
        if response.status_code != 200:
            refused[field] = response.json()

    assert fields
    assert refused == {}
