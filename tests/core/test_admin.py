"""The admin as a superuser uses it: every page opens, and saves go through the services."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ActivityFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
    stage_named,
)
from vorsprung.customers.models import Organization
from vorsprung.customers.services import organization_create
from vorsprung.history.models import Change
from vorsprung.leads.models import Lead
from vorsprung.sales.models import Opportunity, OpportunityContactRole
from vorsprung.sales.services import pipeline_create, pipeline_update

REGISTERED = sorted(
    f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry
)

# The models every_record puts at least one row into.
FILLED = [
    "accounts.team",
    "accounts.user",
    "activities.activity",
    "history.change",
    "auth.group",
    "customers.contact",
    "customers.organization",
    "leads.lead",
    "sales.opportunity",
    "sales.opportunitycontactrole",
    "sales.pipeline",
    "sales.stage",
]


def model_for(label: str):
    return next(m for m in admin.site._registry if m._meta.label_lower == label)


def admin_url(label: str, view: str, *args) -> str:
    return reverse(f"admin:{label.replace('.', '_')}_{view}", args=args)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True, role="admin")


@pytest.fixture
def client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def every_record(superuser):
    """At least one row of every model the admin shows, so lists render real rows."""
    TeamFactory(manager=superuser)
    Group.objects.create(name="Sales")
    opportunity = OpportunityFactory()
    contact = ContactFactory(organization=opportunity.organization)
    OpportunityContactRole.objects.create(
        opportunity=opportunity, contact=contact, role="decision_maker"
    )
    ActivityFactory()
    organization_create(actor=superuser, name="Acme")


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors.get_json_data()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def form_data(response) -> dict:
    """What a browser posts back for the change form as it was rendered."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else str(value)
    return data


@pytest.mark.parametrize("label", REGISTERED)
def test_every_changelist_and_add_page_opens(client, superuser, every_record, label):
    request = RequestFactory().get("/")
    request.user = superuser
    can_add = admin.site._registry[model_for(label)].has_add_permission(request)

    assert client.get(admin_url(label, "changelist")).status_code == 200
    assert client.get(admin_url(label, "changelist"), {"q": "a"}).status_code == 200
    assert client.get(admin_url(label, "add")).status_code == (200 if can_add else 403)


@pytest.mark.parametrize("label", [label for label in FILLED if label in REGISTERED])
def test_every_change_page_opens(client, every_record, label):
    record = model_for(label).objects.order_by("pk").first()

    assert client.get(admin_url(label, "change", record.pk)).status_code == 200


def test_history_cannot_be_added_or_changed_in_the_admin(client, every_record):
    entry = Change.objects.first()

    assert client.get(admin_url("history.change", "add")).status_code == 403
    page = client.get(admin_url("history.change", "change", entry.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_a_lead_with_a_bad_phone_shows_a_form_error(client):
    response = client.post(
        admin_url("leads.lead", "add"),
        {"last_name": "Berg", "phone": "abc", "source": "other", "attributes": "{}"},
    )

    assert response.status_code == 200
    assert form_errors(response) == {
        "phone": [{"message": "“abc” is not a phone number we can read.", "code": ""}]
    }
    assert "“abc” is not a phone number we can read." in response.content.decode()
    assert not Lead.objects.exists()


def test_a_lead_created_in_the_admin_goes_through_lead_create(client, superuser):
    response = client.post(
        admin_url("leads.lead", "add"),
        {
            "last_name": "Berg",
            "email": " Kari.Berg@Example.NO ",
            "phone": "22 12 34 56",
            "country": "NO",
            "source": "trade_show",
            "attributes": "{}",
        },
    )

    assert response.status_code == 302
    lead = Lead.objects.get()
    assert (lead.email, lead.phone, lead.status) == ("kari.berg@example.no", "+4722123456", "new")
    history = Change.objects.get(record_type="lead", record_id=lead.pk)
    assert (history.field, history.old_value, history.new_value, history.actor) == (
        "status",
        "",
        "new",
        superuser,
    )


def test_a_converted_lead_is_read_only_in_the_admin(client):
    lead = LeadFactory(last_name="Berg", status="converted", converted_at=timezone.now())
    url = admin_url("leads.lead", "change", lead.pk)

    page = client.get(url)
    refused = client.post(url, {"last_name": "Changed", "source": "other", "attributes": "{}"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert refused.status_code == 403
    lead.refresh_from_db()
    assert (lead.last_name, lead.version) == ("Berg", 1)


def test_the_lead_action_moves_leads_through_the_status_service(client, superuser):
    new, working = LeadFactory(), LeadFactory(status="working")

    response = client.post(
        admin_url("leads.lead", "changelist"),
        {"action": "mark_working", "_selected_action": [new.pk, working.pk]},
        follow=True,
    )

    new.refresh_from_db()
    assert new.status == "working"
    assert Change.objects.get(record_type="lead", record_id=new.pk).actor == superuser
    assert not Change.objects.filter(record_type="lead", record_id=working.pk).exists()
    assert sorted(messages_of(response)) == [
        "1 leads moved to Working.",
        f"{working}: A lead cannot move from “Working” to “Working”. "
        "Allowed from here: Nurturing, Unqualified.",
    ]


def test_an_organization_created_in_the_admin_goes_through_organization_create(client):
    response = client.post(
        admin_url("customers.organization", "add"),
        {
            "name": "Fjord Shipping AS",
            "website": "www.Fjord-Shipping.no/en",
            "country": "NO",
            "phone": "22 12 34 56",
            "employee_count": "42",
        },
    )

    assert response.status_code == 302
    organization = Organization.objects.get()
    assert (organization.name_key, organization.domain) == ("fjord shipping", "fjord-shipping.no")
    assert (organization.phone, organization.size_band) == ("+4722123456", "11-50")
    history = Change.objects.get(record_type="organization", record_id=organization.pk)
    assert (history.field, history.new_value) == ("lifecycle", "prospect")


def test_an_organization_changed_in_the_admin_goes_through_organization_update(client, superuser):
    organization = organization_create(actor=superuser, name="Acme", website="acme.example")
    url = admin_url("customers.organization", "change", organization.pk)
    data = form_data(client.get(url))

    refused = client.post(url, {**data, "phone": "abc"})
    saved = client.post(url, {**data, "website": "https://www.acme-group.example/"})

    assert form_errors(refused) == {
        "phone": [{"message": "“abc” is not a phone number we can read.", "code": ""}]
    }
    assert saved.status_code == 302
    organization.refresh_from_db()
    assert (organization.domain, organization.phone, organization.version) == (
        "acme-group.example",
        "",
        2,
    )


def test_marking_won_in_the_admin_makes_the_organization_a_customer(client):
    opportunity = OpportunityFactory(name="Fleet")
    changelist = admin_url("sales.opportunity", "changelist")
    action = {"action": "mark_won", "_selected_action": [opportunity.pk]}

    first = client.post(changelist, action, follow=True)
    second = client.post(changelist, action, follow=True)

    opportunity.refresh_from_db()
    opportunity.organization.refresh_from_db()
    assert (opportunity.is_won, opportunity.organization.lifecycle) == (True, "customer")
    assert "1 opportunities marked won." in messages_of(first)
    assert messages_of(second) == [
        "Fleet: This opportunity is already closed won.",
        "0 opportunities marked won.",
    ]


def test_an_opportunity_added_in_the_admin_follows_its_stage(client):
    organization = OrganizationFactory()
    proposal = stage_named("Proposal")

    response = client.post(
        admin_url("sales.opportunity", "add"),
        {
            "name": "Fleet",
            "organization": organization.pk,
            "pipeline": proposal.pipeline_id,
            "stage": proposal.pk,
            "currency": "eur",
            "expected_close_date": "2030-03-31",
            "contact_roles-TOTAL_FORMS": "0",
            "contact_roles-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    assert (opportunity.probability, opportunity.probability_is_manual) == (50, False)
    assert (opportunity.forecast_category, opportunity.forecast_category_is_manual) == (
        "best_case",
        False,
    )


def test_a_stage_of_a_deactivated_pipeline_is_not_offered_in_the_admin(client):
    pipeline = pipeline_create(
        actor=None,
        name="Old",
        stages=[
            {"name": "Talk", "probability": 10, "forecast_category": "pipeline"},
            {"name": "Yes", "probability": 100, "forecast_category": "closed", "is_won": True},
            {"name": "No", "probability": 0, "forecast_category": "omitted", "is_lost": True},
        ],
    )
    pipeline_update(actor=None, pipeline=pipeline, is_active=False)

    response = client.post(
        admin_url("sales.opportunity", "add"),
        {
            "name": "Fleet",
            "organization": OrganizationFactory().pk,
            "pipeline": pipeline.pk,
            "stage": pipeline.stages.get(name="Talk").pk,
            "currency": "eur",
            "expected_close_date": "2030-03-31",
            "contact_roles-TOTAL_FORMS": "0",
            "contact_roles-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    invalid_choice = "Select a valid choice. That choice is not one of the available choices."
    assert {
        name: [e["message"] for e in errors] for name, errors in form_errors(response).items()
    } == {
        "pipeline": [invalid_choice],
        "stage": [invalid_choice],
    }
    assert not Opportunity.objects.exists()
