"""Every page of the interface opens in the browser with its heading, its lazy parts
loaded and no script error."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    ActivityFactory,
    AdminFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_every_page_opens_without_a_script_error(page, login):
    admin = AdminFactory(username="astrid", first_name="Astrid")
    organization = OrganizationFactory(name="Lindqvist Bygg AB", owner=admin)
    contact = ContactFactory(organization=organization, owner=admin, last_name="Lindqvist")
    opportunity = OpportunityFactory(
        organization=organization, owner=admin, name="Nybygg", primary_contact=contact
    )
    lead = LeadFactory(owner=admin, last_name="Holm")
    ActivityFactory(lead=lead, owner=admin, subject="Ring tillbaka")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, admin)

    pages = {
        "/": "Good day, Astrid",
        "/leads/": "Leads",
        f"/leads/{lead.pk}/": lead.full_name,
        f"/leads/{lead.pk}/edit/": "Edit",
        f"/leads/{lead.pk}/convert/": "Convert",
        "/opportunities/": "Opportunities",
        f"/opportunities/{opportunity.pk}/": "Nybygg",
        "/board/": "Pipeline board",
        "/organizations/": "Organizations",
        f"/organizations/{organization.pk}/": "Lindqvist Bygg AB",
        "/contacts/": "Contacts",
        f"/contacts/{contact.pk}/": "Lindqvist",
        "/tasks/": "My open tasks",
        "/settings/users/": "Users",
        "/settings/teams/": "Teams",
        "/settings/pipelines/": "Pipelines",
        "/settings/lost-reasons/": "Lost reasons",
        "/settings/conversion/": "Conversion",
        "/password/": "Change password",
    }
    for url, heading in pages.items():
        page.goto(url)
        expect(page.locator("h1")).to_contain_text(heading)
        expect(
            page.locator(
                '.column-loading, [data-testid="timeline-loading"], [data-testid="panel-loading"]'
            )
        ).to_have_count(0)
    expect(page.locator("#alerts .alert-danger")).to_have_count(0)
    assert errors == []
    page.goto(f"/leads/{lead.pk}/")
    expect(page.get_by_text("Ring tillbaka")).to_be_visible()
    expect(page).to_have_title(re.compile("Holm"))
    for url in (f"/organizations/{organization.pk}/", f"/contacts/{contact.pk}/"):
        page.goto(url)
        expect(page.get_by_role("link", name="Nybygg")).to_be_visible()
