"""The convert wizard: suggestions, choices, the qualification confirmation, landing."""

import re

import pytest
from django.test import Client

from tests.factories import (
    ContactFactory,
    LeadFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
    stage_named,
)
from tests.pages import page_text
from vorsprung.leads.models import ConversionPolicy, Lead
from vorsprung.sales.models import Opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep():
    return UserFactory(team=TeamFactory())


@pytest.fixture
def web(rep):
    client = Client()
    client.force_login(rep)
    return client


@pytest.fixture
def existing(rep):
    return OrganizationFactory(name="Fjordkraft Energi AS", domain="fjordkraft.example", owner=rep)


@pytest.fixture
def lead(rep):
    return LeadFactory(
        owner=rep,
        first_name="Kari",
        last_name="Nordmann",
        email="kari@fjordkraft.example",
        company="Fjordkraft Energi",
        website="https://fjordkraft.example",
        domain="fjordkraft.example",
        budget_amount=40000,
        budget_currency="NOK",
    )


def test_wizard_suggests_the_organization_with_the_same_domain(web, lead, existing):
    response = web.get(f"/leads/{lead.pk}/convert/")
    body = response.content.decode()
    assert "Attach to existing “Fjordkraft Energi AS”" in page_text(response)
    assert "same domain" in page_text(response)
    # the domain match is preselected; the opportunity is prefilled from the lead
    assert re.search(rf'value="{existing.pk}"\s+checked', body)
    assert 'name="opportunity_name" value="Fjordkraft Energi"' in body
    assert 'name="amount" value="40000.00"' in body


def test_suggestions_include_contacts_with_the_same_e_mail(web, lead, existing, rep):
    contact = ContactFactory(organization=existing, owner=rep, email="kari@fjordkraft.example")
    body = web.get(f"/leads/{lead.pk}/convert/").content.decode()
    assert re.search(
        rf'name="contact" id="contact-{contact.pk}" value="{contact.pk}"\s+checked', body
    )
    assert "same e-mail" in body


def test_gaps_need_the_confirmation_and_nothing_is_written(web, lead, existing):
    response = web.post(
        f"/leads/{lead.pk}/convert/",
        {"organization": existing.pk, "contact": "new", "create_opportunity": "on"},
    )
    assert response.status_code == 422
    assert (
        "The qualification checklist is incomplete (missing: Need, Budget, Authority, Timeline)"
        in (page_text(response))
    )
    assert Lead.objects.get(pk=lead.pk).status == "new"
    assert not Opportunity.objects.exists()


def test_converting_to_an_existing_organization_lands_on_the_new_opportunity(web, lead, existing):
    stage = stage_named("Needs analysis")
    response = web.post(
        f"/leads/{lead.pk}/convert/",
        {
            "organization": existing.pk,
            "contact": "new",
            "create_opportunity": "on",
            "opportunity_name": "Fjordkraft CRM",
            "amount": "42000",
            "currency": "NOK",
            "close_date": "2031-06-30",
            "stage": stage.pk,
            "accept_qualification_gaps": "on",
        },
    )
    opportunity = Opportunity.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/opportunities/{opportunity.pk}/"
    assert (opportunity.name, opportunity.organization, opportunity.stage) == (
        "Fjordkraft CRM",
        existing,
        stage,
    )
    assert str(opportunity.amount) == "42000.00"
    lead.refresh_from_db()
    assert lead.status == "converted"
    assert lead.converted_organization == existing


def test_without_opportunity_it_lands_on_the_contact(web, lead):
    response = web.post(
        f"/leads/{lead.pk}/convert/",
        {"organization": "new", "contact": "new", "accept_qualification_gaps": "on"},
    )
    lead.refresh_from_db()
    assert response["Location"] == f"/contacts/{lead.converted_contact_id}/"
    assert lead.converted_opportunity is None
    assert lead.converted_organization.name == "Fjordkraft Energi"


def test_a_strict_policy_refuses_and_says_why(web, lead, existing):
    ConversionPolicy.objects.update_or_create(
        pk=1, defaults={"require_complete_qualification": True}
    )
    page = web.get(f"/leads/{lead.pk}/convert/")
    assert "requires a complete qualification checklist" in page_text(page)
    response = web.post(
        f"/leads/{lead.pk}/convert/",
        {"organization": existing.pk, "contact": "new", "accept_qualification_gaps": "on"},
    )
    assert response.status_code == 422
    assert "Complete the qualification checklist before converting; still missing:" in page_text(
        response
    )
    assert Lead.objects.get(pk=lead.pk).status == "new"


def test_an_organization_the_user_may_not_see_cannot_be_chosen(web, lead):
    hidden = OrganizationFactory(owner=UserFactory(team=TeamFactory()))
    response = web.post(
        f"/leads/{lead.pk}/convert/",
        {"organization": hidden.pk, "contact": "new", "accept_qualification_gaps": "on"},
    )
    assert response.status_code == 422
    assert "Choose one of the offered records." in page_text(response)
    assert Lead.objects.get(pk=lead.pk).status == "new"


def test_search_offers_only_visible_organizations(web, lead, rep):
    OrganizationFactory(name="Havblikk Shipping", owner=rep)
    OrganizationFactory(name="Havbris Fremmed", owner=UserFactory(team=TeamFactory()))
    response = web.get(f"/leads/{lead.pk}/convert/search/organization/", {"q": "Havb"})
    assert "Havblikk Shipping" in page_text(response)
    assert "Havbris" not in page_text(response)


def test_a_converted_lead_goes_back_to_its_page(web, lead):
    web.post(
        f"/leads/{lead.pk}/convert/",
        {"organization": "new", "contact": "new", "accept_qualification_gaps": "on"},
    )
    response = web.get(f"/leads/{lead.pk}/convert/")
    assert response.status_code == 302
    assert response["Location"] == f"/leads/{lead.pk}/"


# --- What the wizard picks for the user ----------------------------------------------------


def checked(response, name: str) -> list[str]:
    """The values of the checked radio buttons named ``name``."""
    body = response.content.decode()
    return re.findall(rf'name="{name}" id="[^"]+" value="([^"]+)" checked', body)


def test_an_exact_name_match_and_the_same_e_mail_are_preselected(web, rep):
    """No domain to go by (the lead's website is unknown), but exactly one organization of
    the same name and one contact with the same e-mail: the wizard picks both."""
    organization = OrganizationFactory(name="Fjordkraft Energi", domain="", owner=rep)
    contact = ContactFactory(
        organization=organization, owner=rep, email="kari@fjordkraft.example", last_name="N"
    )
    lead = LeadFactory(
        owner=rep, company="Fjordkraft Energi", email="kari@fjordkraft.example", domain=""
    )
    response = web.get(f"/leads/{lead.pk}/convert/")
    assert checked(response, "organization") == [str(organization.pk)]
    assert checked(response, "contact") == [str(contact.pk)]
    # Creating new ones stays one click away.
    assert 'id="organization-new" value="new"' in response.content.decode()
    assert 'id="contact-new" value="new"' in response.content.decode()


def test_two_organizations_of_the_same_name_are_not_guessed_between(web, rep):
    OrganizationFactory(name="Fjordkraft Energi", domain="", owner=rep, city="Oslo")
    OrganizationFactory(name="Fjordkraft Energi", domain="", owner=rep, city="Bergen")
    lead = LeadFactory(owner=rep, company="Fjordkraft Energi", domain="")
    assert checked(web.get(f"/leads/{lead.pk}/convert/"), "organization") == ["new"]


def test_the_same_domain_wins_over_another_organization_s_exact_name(web, rep, lead, existing):
    OrganizationFactory(name="Fjordkraft Energi", domain="", owner=rep)
    assert checked(web.get(f"/leads/{lead.pk}/convert/"), "organization") == [str(existing.pk)]


def test_a_contact_of_another_organization_is_not_preselected(web, rep, lead, existing):
    elsewhere = OrganizationFactory(name="Anderswo AS", domain="anderswo.example", owner=rep)
    ContactFactory(organization=elsewhere, owner=rep, email=lead.email)
    response = web.get(f"/leads/{lead.pk}/convert/")
    assert checked(response, "organization") == [str(existing.pk)]
    assert checked(response, "contact") == ["new"]


def test_converting_with_what_the_wizard_picked_creates_no_duplicates(web, rep):
    organization = OrganizationFactory(name="Fjordkraft Energi", domain="", owner=rep)
    ContactFactory(organization=organization, owner=rep, email="kari@fjordkraft.example")
    lead = LeadFactory(
        owner=rep, company="Fjordkraft Energi", email="kari@fjordkraft.example", domain=""
    )
    form = web.get(f"/leads/{lead.pk}/convert/")
    data = {
        "organization": checked(form, "organization")[0],
        "contact": checked(form, "contact")[0],
        "create_opportunity": "on",
        "opportunity_name": "Fjordkraft Energi",
        "currency": "EUR",
        "stage": stage_named("Qualification").pk,
        "accept_qualification_gaps": "on",
    }
    response = web.post(f"/leads/{lead.pk}/convert/", data)
    assert response.status_code == 303
    from vorsprung.customers.models import Contact, Organization

    assert (Organization.objects.count(), Contact.objects.count()) == (1, 1)


def test_the_conversion_message_names_each_record_once_and_ends_in_one_full_stop(web, rep):
    lead = LeadFactory(
        owner=rep, first_name="Kari", last_name="Nordmann", company="Fjordkraft Inc.", domain=""
    )
    data = {
        "organization": "new",
        "contact": "new",
        "create_opportunity": "on",
        "opportunity_name": "Fjordkraft Inc.",
        "currency": "EUR",
        "stage": stage_named("Qualification").pk,
        "accept_qualification_gaps": "on",
    }
    response = web.post(f"/leads/{lead.pk}/convert/", data, follow=True)
    text = page_text(response)
    message = (
        "Lead converted into contact “Kari Nordmann”, organization “Fjordkraft Inc.”, "
        "an opportunity for it."
    )
    assert message in text
    assert ".." not in text
