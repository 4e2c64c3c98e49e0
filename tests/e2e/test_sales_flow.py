"""The main story, as a sales rep lives it: a new lead is typed in, called, worked,
qualified, converted onto an organization already on file, and the opportunity it became is
dragged to "won" on the board."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import OrganizationFactory, TeamFactory, UserFactory
from vorsprung.leads.models import Lead
from vorsprung.sales.models import Opportunity

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_sales_flow(page, login, drag):
    team = TeamFactory(name="Vest")
    rep = UserFactory(username="kari", first_name="Kari", last_name="Nordmann", team=team)
    teammate = UserFactory(team=team)
    organization = OrganizationFactory(
        name="Fjordkraft Energi AS",
        website="https://fjordkraft.example",
        domain="fjordkraft.example",
        owner=teammate,
    )
    login(page, rep)

    # A new lead, typed in.
    page.goto("/leads/new/")
    form = page.locator("#lead-form")
    form.get_by_label("First name").fill("Ola")
    form.get_by_label("Last name").fill("Fjellheim")
    form.get_by_label("E-mail").fill("ola.fjellheim@fjordkraft.example")
    form.get_by_label("Company", exact=True).fill("Fjordkraft Energi AS")
    form.get_by_label("Website").fill("https://www.fjordkraft.example/")
    # The rep's own new lead is theirs unless they pick someone else.
    expect(form.get_by_label("Owner")).to_have_value(str(rep.pk))
    form.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/leads/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ola Fjellheim")
    status = page.locator("#lead-status")
    expect(status).to_have_text("New")
    page.wait_for_load_state()
    lead = Lead.objects.get(email="ola.fjellheim@fjordkraft.example")
    assert page.url.endswith(f"/leads/{lead.pk}/")

    # A call, logged from the timeline panel.
    page.get_by_role("button", name="Log a call").click()
    log_form = page.get_by_test_id("log-form")
    log_form.get_by_label("Subject").fill("Intro call: grid monitoring")
    log_form.get_by_role("button", name="Save").click()
    timeline = page.get_by_test_id("timeline")
    expect(timeline.get_by_test_id("timeline-activity").first).to_contain_text(
        "Intro call: grid monitoring"
    )
    # A call on a new lead means someone is working it.
    page.reload()
    expect(status).to_have_text("Working")

    # Through the status bar: parked as nurturing, then back to working.
    page.locator('form [data-move="nurturing"]').click()
    expect(status).to_have_text("Nurturing")
    expect(page.locator("#alerts")).to_contain_text("Status changed to “Nurturing”.")
    page.locator('button[data-status="working"]').click()
    expect(status).to_have_text("Working")
    page.wait_for_load_state()

    # The qualification, all four items.
    decision_date = timezone.localdate() + datetime.timedelta(days=45)
    qualification = page.locator("#qualification-card")
    expect(qualification.locator('li[data-done="true"]')).to_have_count(0)
    qualification.locator("details summary", has_text="Edit qualification").click()
    q_form = page.locator("#qualification-form")
    q_form.get_by_label("Need", exact=True).fill("Monitoring for 40 substations")
    q_form.get_by_label("Need confirmed").check()
    q_form.get_by_label("Budget", exact=True).fill("48000")
    q_form.get_by_label("Budget confirmed").check()
    q_form.get_by_label("Is the decision maker").select_option(label="Yes")
    q_form.get_by_label("Expected decision date").fill(decision_date.isoformat())
    q_form.get_by_role("button", name="Save qualification").click()
    expect(qualification.locator('li[data-done="true"]')).to_have_count(4)
    expect(qualification).to_contain_text("Complete")

    # Converted onto the existing organization the wizard suggests by its domain.
    page.locator("#convert-button").click()
    expect(page).to_have_url(re.compile(rf"/leads/{lead.pk}/convert/$"))
    convert = page.locator("#convert-form")
    existing = convert.locator(f'input[name="organization"][value="{organization.pk}"]')
    expect(existing).to_be_checked()
    expect(convert.get_by_label("Attach to existing “Fjordkraft Energi AS”")).to_be_checked()
    expect(convert.get_by_label(re.compile("Create a new contact"))).to_be_checked()
    expect(convert.get_by_label("Create an opportunity")).to_be_checked()
    expect(convert.get_by_label("Opportunity name")).to_have_value("Fjordkraft Energi AS")
    expect(convert.get_by_label("Amount")).to_have_value(re.compile(r"^48000(\.00)?$"))
    expect(convert.get_by_label("Expected close date")).to_have_value(decision_date.isoformat())
    expect(convert.get_by_label("Stage")).not_to_have_value("")
    convert.get_by_role("button", name="Convert").click()

    expect(page).to_have_url(re.compile(r"/opportunities/\d+/$"))
    opportunity = Opportunity.objects.get(source_lead=lead)
    assert page.url.endswith(f"/opportunities/{opportunity.pk}/")
    assert opportunity.organization_id == organization.pk
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fjordkraft Energi AS")
    expect(page.locator("#alerts")).to_contain_text("Lead converted")

    # On the board: dragged from its open stage to won.
    page.goto("/board/")
    card = page.locator(f'.board-card[data-opportunity-id="{opportunity.pk}"]')
    open_column = page.locator(f'.board-column[data-stage-id="{opportunity.stage_id}"]')
    won_column = page.locator('.board-column[data-stage-kind="won"]')
    expect(open_column.locator(".cards").locator(card)).to_be_visible()
    expect(open_column.locator(".column-count")).to_have_attribute("data-count", "1")
    expect(won_column.locator(".column-count")).to_have_attribute("data-count", "0")
    expect(won_column.locator(".cards .empty-column")).to_be_visible()

    drag(page, card, won_column.locator(".cards"))

    expect(won_column.locator(".column-count")).to_have_attribute("data-count", "1")
    expect(won_column.locator(".column-sum")).to_contain_text("48,000")
    expect(open_column.locator(".column-count")).to_have_attribute("data-count", "0")
    expect(card).to_have_attribute("aria-busy", "false")
    expect(page.get_by_test_id("board-status")).to_have_text(
        re.compile(r"Moved “Fjordkraft Energi AS” to .+\.")
    )
    page.reload()
    expect(won_column.locator(".cards").locator(card)).to_be_visible()
    expect(won_column.locator(".column-count")).to_have_attribute("data-count", "1")

    # The organization has become a customer, with the deal under "won".
    page.goto(f"/organizations/{organization.pk}/")
    won = page.locator('table[aria-labelledby="opportunities-won"]')
    expect(won.get_by_role("link", name="Fjordkraft Energi AS")).to_be_visible()
    expect(page.locator("#opportunities-won")).to_contain_text("1")
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("Customer")
