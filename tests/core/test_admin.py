"""The admin as a superuser uses it: every page opens, and saves go through the services."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
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
from vorsprung.accounts.models import User
from vorsprung.accounts.tokens import api_token_create
from vorsprung.customers.models import Organization
from vorsprung.customers.services import organization_create
from vorsprung.history.models import Change
from vorsprung.leads.models import Lead
from vorsprung.leads.services import lead_create
from vorsprung.sales.models import Opportunity, OpportunityContactRole, Pipeline
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
        if value is None or value is False or value == []:
            continue
        if isinstance(value, list):
            data[name] = [str(item) for item in value]
        else:
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


# --- every change through the services, refused as the services refuse -------------------


def posted(response) -> dict:
    """What a browser posts back for a change form with its inlines, as rendered."""
    data = form_data(response)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for form in formset.forms:
            for name in form.fields:
                value = form[name].value()
                if value is None or value is False:
                    continue
                data[form.add_prefix(name)] = "on" if value is True else str(value)
    return data


def errors_on_page(response) -> list[str]:
    form = response.context["adminform"].form
    return [str(error) for errors in form.errors.values() for error in errors]


def delete(client, label: str, pk: int):
    return client.post(admin_url(label, "delete", pk), {"post": "yes"}, follow=True)


def test_deleting_a_converted_lead_is_refused_as_lead_delete_refuses_it(client):
    lead = LeadFactory(last_name="Berg", status="converted", converted_at=timezone.now())

    response = delete(client, "leads.lead", lead.pk)

    assert messages_of(response) == [
        "A converted lead cannot be deleted; it records where its contact came from."
    ]
    assert Lead.objects.filter(pk=lead.pk).exists()
    assert not Change.objects.filter(record_type="lead", action="deleted").exists()
    assert not LogEntry.objects.exists()


def test_a_lead_deleted_in_the_admin_goes_through_lead_delete(client, superuser):
    lead = LeadFactory(last_name="Berg")
    ActivityFactory(lead=lead, subject="Call back")

    response = delete(client, "leads.lead", lead.pk)

    assert response.status_code == 200
    assert not Lead.objects.filter(pk=lead.pk).exists()
    deleted = Change.objects.filter(action="deleted").values_list("record_type", "actor")
    assert sorted(deleted) == [("activity", superuser.pk), ("lead", superuser.pk)]


def test_deleting_an_organization_with_opportunities_is_refused(client):
    opportunity = OpportunityFactory()

    response = delete(client, "customers.organization", opportunity.organization_id)

    assert messages_of(response) == [
        "This organization has opportunities; close or move them before deleting it."
    ]
    assert Organization.objects.filter(pk=opportunity.organization_id).exists()


def test_bulk_delete_of_a_mix_deletes_nothing_and_names_each_refused_lead(client):
    converted = LeadFactory(last_name="Converted", status="converted", converted_at=timezone.now())
    first, second = LeadFactory(last_name="First"), LeadFactory(last_name="Second")
    chosen = [first.pk, converted.pk, second.pk]

    confirm = client.post(
        admin_url("leads.lead", "changelist"),
        {"action": "delete_selected", "_selected_action": chosen},
    )
    response = client.post(
        admin_url("leads.lead", "changelist"),
        {"action": "delete_selected", "_selected_action": chosen, "post": "yes"},
        follow=True,
    )

    assert confirm.status_code == 200  # Django's confirmation page
    assert messages_of(response) == [
        "Nothing was deleted; these records were refused:",
        f"{converted}: A converted lead cannot be deleted; it records where its contact came from.",
    ]
    assert Lead.objects.filter(pk__in=chosen).count() == 3
    assert not Change.objects.filter(action="deleted").exists()
    assert not LogEntry.objects.exists()


def test_bulk_delete_deletes_every_lead_through_the_service(client):
    leads = LeadFactory.create_batch(3)

    response = client.post(
        admin_url("leads.lead", "changelist"),
        {"action": "delete_selected", "_selected_action": [x.pk for x in leads], "post": "yes"},
        follow=True,
    )

    assert messages_of(response) == ["Successfully deleted 3 leads."]
    assert not Lead.objects.exists()
    assert Change.objects.filter(record_type="lead", action="deleted").count() == 3


def test_deleting_the_default_pipeline_is_refused(client):
    pipeline = Pipeline.objects.get(is_default=True)

    response = delete(client, "sales.pipeline", pipeline.pk)

    assert messages_of(response) == ["The default pipeline cannot be deleted."]
    assert Pipeline.objects.filter(pk=pipeline.pk).exists()


def test_a_stage_holding_opportunities_cannot_be_switched_to_won(client):
    opportunity = OpportunityFactory()
    stage = opportunity.stage
    url = admin_url("sales.stage", "change", stage.pk)
    data = form_data(client.get(url))

    response = client.post(url, {**data, "is_won": "on"})

    assert response.status_code == 200
    assert errors_on_page(response) == [
        f"Stage “{stage.name}” holds opportunities, so it cannot change between open, won and lost."
    ]
    stage.refresh_from_db()
    opportunity.refresh_from_db()
    assert (stage.is_won, opportunity.is_closed, opportunity.is_won) == (False, False, False)


def test_nor_in_the_stage_table_of_its_pipeline(client):
    opportunity = OpportunityFactory()
    url = admin_url("sales.pipeline", "change", opportunity.pipeline_id)
    data = posted(client.get(url))
    assert data["stages-0-name"] == opportunity.stage.name

    response = client.post(url, {**data, "name": "Renamed", "stages-0-is_won": "on"})

    assert errors_on_page(response) == [
        f"Stage “{opportunity.stage.name}” holds opportunities, so it cannot change between "
        "open, won and lost."
    ]
    assert response.context["adminform"].form["name"].value() == "Renamed"  # as typed
    pipeline = Pipeline.objects.get(pk=opportunity.pipeline_id)
    assert (pipeline.name, pipeline.stages.filter(is_won=True).count()) == ("Sales", 1)


def test_a_stage_is_renamed_and_moved_through_the_stage_services(client):
    stage = stage_named("Proposal")
    url = admin_url("sales.stage", "change", stage.pk)
    data = form_data(client.get(url))

    response = client.post(url, {**data, "name": "Offer", "position": "0"})

    assert response.status_code == 302
    names = list(stage.pipeline.stages.order_by("position").values_list("name", flat=True))
    assert names[:3] == ["Offer", "Qualification", "Needs analysis"]


def test_a_pipeline_added_in_the_admin_goes_through_pipeline_create(client):
    rows = [
        ("Talking", "20", "pipeline", False, False),
        ("Signed", "100", "closed", True, False),
    ]
    data = {
        "name": "Partners",
        "is_active": "on",
        "stages-TOTAL_FORMS": str(len(rows)),
        "stages-INITIAL_FORMS": "0",
    }
    for index, (name, probability, category, won, lost) in enumerate(rows):
        data |= {
            f"stages-{index}-position": str(index),
            f"stages-{index}-name": name,
            f"stages-{index}-probability": probability,
            f"stages-{index}-forecast_category": category,
        }
        data |= {f"stages-{index}-is_won": "on"} if won else {}
        data |= {f"stages-{index}-is_lost": "on"} if lost else {}

    refused = client.post(admin_url("sales.pipeline", "add"), data)
    data |= {
        "stages-TOTAL_FORMS": "3",
        "stages-2-position": "2",
        "stages-2-name": "Gone",
        "stages-2-probability": "0",
        "stages-2-forecast_category": "omitted",
        "stages-2-is_lost": "on",
    }
    saved = client.post(admin_url("sales.pipeline", "add"), data)

    assert errors_on_page(refused) == ["Add a lost stage."]
    assert saved.status_code == 302
    partners = Pipeline.objects.get(name="Partners")
    assert list(partners.stages.values_list("name", flat=True)) == ["Talking", "Signed", "Gone"]


def test_contact_roles_in_the_opportunity_page_go_through_the_services(client, superuser):
    opportunity = OpportunityFactory(name="Fleet")
    contact = ContactFactory(organization=opportunity.organization, last_name="Berg")
    url = admin_url("sales.opportunity", "change", opportunity.pk)
    data = posted(client.get(url))

    added = client.post(
        url,
        {
            **data,
            "contact_roles-TOTAL_FORMS": "1",
            "contact_roles-0-contact": str(contact.pk),
            "contact_roles-0-role": "decision_maker",
            "contact_roles-0-opportunity": str(opportunity.pk),
        },
    )
    data = posted(client.get(url))
    removed = client.post(url, {**data, "contact_roles-0-DELETE": "on"})

    assert (added.status_code, removed.status_code) == (302, 302)
    assert not OpportunityContactRole.objects.exists()
    entries = Change.objects.filter(record_type="opportunity", field="contacts").order_by("pk")
    assert [(e.new_label, e.old_label, e.actor) for e in entries] == [
        (f"{contact} — Decision maker", "", superuser),
        ("", f"{contact} — Decision maker", superuser),
    ]


def test_a_user_changed_in_the_admin_goes_through_user_update(client, superuser):
    url = admin_url("accounts.user", "change", superuser.pk)
    data = form_data(client.get(url))
    data.pop("is_active")

    response = client.post(url, data)

    assert errors_on_page(response) == ["You cannot deactivate yourself."]
    superuser.refresh_from_db()
    assert superuser.is_active is True


def test_a_user_added_in_the_admin_goes_through_user_create(client):
    team = TeamFactory(name="Nord")

    response = client.post(
        admin_url("accounts.user", "add"),
        {
            "username": "dora",
            "usable_password": "true",
            "password1": "a-long-Passphrase-9",
            "password2": "a-long-Passphrase-9",
            "role": "manager",
            "team": team.pk,
        },
    )

    assert response.status_code == 302
    dora = User.objects.get(username="dora")
    assert (dora.role, dora.team, dora.check_password("a-long-Passphrase-9")) == (
        "manager",
        team,
        True,
    )


def test_users_are_deactivated_not_deleted(client):
    rita = UserFactory()

    assert client.post(admin_url("accounts.user", "delete", rita.pk)).status_code == 403
    assert User.objects.filter(pk=rita.pk).exists()


# --- staff who are not superusers ---------------------------------------------------------


def staff(user, *codenames: str):
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_a_staff_sales_rep_sees_only_their_teams_leads(client):
    team = TeamFactory()
    rep = staff(UserFactory(team=team), "view_lead", "change_lead", "delete_lead")
    mine = LeadFactory(owner=rep, last_name="Mine")
    teammates = LeadFactory(owner=UserFactory(team=team), last_name="Teammates")
    elsewhere = LeadFactory(owner=UserFactory(team=TeamFactory()), last_name="Elsewhere")
    client.force_login(rep)

    listed = client.get(admin_url("leads.lead", "changelist"))
    hidden = client.get(admin_url("leads.lead", "change", elsewhere.pk), follow=True)

    assert sorted(lead.pk for lead in listed.context["cl"].result_list) == sorted(
        [mine.pk, teammates.pk]
    )
    assert "Elsewhere" not in listed.content.decode()
    assert hidden.redirect_chain[-1][0] == "/admin/"  # Django: "doesn't exist"
    assert client.get(admin_url("leads.lead", "change", mine.pk)).status_code == 200


def test_a_staff_sales_rep_may_not_delete_a_lead_in_the_admin_either(client):
    rep = staff(UserFactory(team=TeamFactory()), "view_lead", "delete_lead")
    lead = LeadFactory(owner=rep)
    client.force_login(rep)

    response = delete(client, "leads.lead", lead.pk)

    assert messages_of(response) == ["Only managers and administrators may delete records."]
    assert Lead.objects.filter(pk=lead.pk).exists()


def test_a_staff_sales_rep_may_not_change_a_team(client):
    rep = staff(UserFactory(), "view_team", "change_team")
    team = TeamFactory(name="Nord")
    client.force_login(rep)
    url = admin_url("accounts.team", "change", team.pk)

    response = client.post(url, {**form_data(client.get(url)), "name": "Süd"})

    assert errors_on_page(response) == ["Only administrators may do this."]
    team.refresh_from_db()
    assert team.name == "Nord"


def test_a_staff_sales_rep_sees_only_their_own_api_tokens(client):
    rep = staff(UserFactory(), "view_apitoken")
    own, _token = api_token_create(actor=rep, user=rep)
    api_token_create(actor=None, user=UserFactory())
    client.force_login(rep)

    listed = client.get(admin_url("accounts.apitoken", "changelist"))

    assert [token.pk for token in listed.context["cl"].result_list] == [own.pk]


def test_a_staff_sales_rep_reads_the_history_of_their_own_records_only(client):
    rep = staff(UserFactory(), "view_change")
    mine = lead_create(actor=rep, last_name="Mine")
    lead_create(actor=None, last_name="Not mine", owner=UserFactory(team=TeamFactory()))
    client.force_login(rep)

    listed = client.get(admin_url("history.change", "changelist"))

    assert [(c.record_type, c.record_id) for c in listed.context["cl"].result_list] == [
        ("lead", mine.pk)
    ]


def test_saving_only_a_contact_role_leaves_the_opportunity_as_it_is(client):
    opportunity = OpportunityFactory()
    contact = ContactFactory(organization=opportunity.organization)
    url = admin_url("sales.opportunity", "change", opportunity.pk)
    data = posted(client.get(url))

    client.post(
        url,
        {
            **data,
            "contact_roles-TOTAL_FORMS": "1",
            "contact_roles-0-contact": str(contact.pk),
            "contact_roles-0-role": "user",
            "contact_roles-0-opportunity": str(opportunity.pk),
        },
    )

    assert Opportunity.objects.get(pk=opportunity.pk).version == opportunity.version
    assert OpportunityContactRole.objects.filter(opportunity=opportunity).count() == 1


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
