"""Keyboard use: the convert wizard's search results are reached and chosen with the
keyboard; after logging an activity the focus lands on the timeline."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import LeadFactory, OrganizationFactory, TeamFactory, UserFactory
from vorsprung.leads.models import Lead

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def rep():
    return UserFactory(team=TeamFactory())


def test_the_convert_wizard_s_search_results_are_chosen_by_keyboard(page, login, rep):
    other = OrganizationFactory(name="Bergen Bygg AS", owner=rep, domain="bergenbygg.example")
    lead = LeadFactory(owner=rep, company="Fjellheim AS", domain="", last_name="Holm")
    login(page, rep)
    page.goto(f"/leads/{lead.pk}/convert/")
    search = page.locator("#organization-search")
    search.focus()
    page.keyboard.type("Bergen")
    result = page.locator(f"#organization-found-{other.pk}")
    expect(result).to_be_visible()
    page.keyboard.press("Tab")
    expect(result).to_be_focused()
    page.keyboard.press("Enter")
    chosen = page.locator(f"#organization-{other.pk}")
    expect(chosen).to_be_checked()
    expect(chosen).to_be_focused()
    page.get_by_label("Convert although the qualification checklist is incomplete").check()
    page.get_by_role("button", name=re.compile("^Convert")).click()
    expect(page.locator("#alerts .alert-success")).to_contain_text("Bergen Bygg AS")
    assert Lead.objects.get(pk=lead.pk).converted_organization_id == other.pk


def test_after_logging_an_activity_the_focus_is_on_the_timeline(page, login, rep):
    lead = LeadFactory(owner=rep, status="new")
    login(page, rep)
    page.goto(f"/leads/{lead.pk}/")
    page.get_by_role("button", name="Log a call").click()
    subject = page.get_by_label("Subject")
    expect(subject).to_be_focused()
    subject.fill("Called about the offer")
    subject.press("Enter")
    timeline = page.locator(f"#timeline-lead-{lead.pk}")
    expect(timeline).to_contain_text("Called about the offer")
    expect(timeline).to_be_focused()
    expect(page.get_by_role("status").filter(has_text="Saved on the timeline.")).to_have_count(1)
