"""Back and Forward after filtering a list or the board: the browser shows the whole page,
never the bare part an htmx request fetched for the same address."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def expect_whole_page(page, heading: str) -> None:
    expect(page.locator("nav.navbar")).to_be_visible()
    expect(page.locator("h1")).to_contain_text(heading)
    # Bootstrap's styles apply: the navigation bar is dark, not an unstyled list.
    colour = page.locator("nav.navbar").evaluate("n => getComputedStyle(n).backgroundColor")
    assert colour != "rgba(0, 0, 0, 0)"


def filter_then_leave_and_come_back(page, *, url, heading, filter_, filtered, link, landed):
    """Filter with htmx, follow a link away, go Back, then Forward and Back again."""
    page.goto(url)
    filter_(page)
    expect(page).to_have_url(filtered)
    page.locator(link).first.click()
    expect(page.locator("h1")).to_contain_text(landed)
    page.go_back()
    expect(page).to_have_url(filtered)
    expect_whole_page(page, heading)
    page.go_forward()
    expect(page.locator("h1")).to_contain_text(landed)
    page.go_back()
    expect_whole_page(page, heading)


@pytest.fixture
def rep():
    return UserFactory(team=TeamFactory())


def test_back_to_the_filtered_lead_list_shows_the_page(page, login, rep):
    LeadFactory(owner=rep, last_name="Aasen", status="working")
    LeadFactory(owner=rep, last_name="Berg", status="new")
    login(page, rep)
    filter_then_leave_and_come_back(
        page,
        url="/leads/?reset=1",
        heading="Leads",
        filter_=lambda p: p.get_by_label("Working").check(),
        filtered=re.compile(r"status=working"),
        link='#lead-results a[href^="/leads/"]:has-text("Aasen")',
        landed="Aasen",
    )
    expect(page.locator("#lead-results")).to_contain_text("Aasen")
    expect(page.locator("#lead-results")).not_to_contain_text("Berg")


def test_back_to_the_filtered_board_loads_its_columns(page, login, rep):
    organization = OrganizationFactory(owner=rep)
    OpportunityFactory(name="Solar roof", organization=organization, owner=rep)
    errors = []
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 else None)
    login(page, rep)
    filter_then_leave_and_come_back(
        page,
        url="/board/",
        heading="Pipeline board",
        filter_=lambda p: p.locator("#id_owner").select_option(str(rep.pk)),
        filtered=re.compile(rf"owner={rep.pk}"),
        link='.board-card a:has-text("Solar roof")',
        landed="Solar roof",
    )
    expect(page.locator(".column-loading")).to_have_count(0)
    expect(page.locator(".board-card")).to_have_count(1)
    assert errors == []


@pytest.mark.parametrize(
    ("url", "heading", "make", "name"),
    [
        ("/opportunities/", "Opportunities", "opportunity", "Windpark"),
        ("/organizations/", "Organizations", "organization", "Windpark AS"),
        ("/contacts/", "Contacts", "contact", "Windpark"),
    ],
)
def test_back_to_another_filtered_list_shows_the_page(page, login, rep, url, heading, make, name):
    organization = OrganizationFactory(owner=rep, name="Windpark AS")
    OrganizationFactory(owner=rep, name="Other AS")
    if make == "opportunity":
        OpportunityFactory(name="Windpark", organization=organization, owner=rep)
    elif make == "contact":
        ContactFactory(last_name="Windpark", organization=organization, owner=rep)
    login(page, rep)
    filter_then_leave_and_come_back(
        page,
        url=url,
        heading=heading,
        filter_=lambda p: p.locator("#id_q").fill("Windpark"),
        filtered=re.compile(r"q=Windpark"),
        link=f'main table a:has-text("{name}")',
        landed=name,
    )


def test_back_between_two_filters_restores_the_earlier_results(page, login, rep):
    LeadFactory(owner=rep, last_name="Aasen", status="working")
    LeadFactory(owner=rep, last_name="Berg", status="new")
    login(page, rep)
    page.goto("/leads/?reset=1")
    page.get_by_label("Working").check()
    expect(page).to_have_url(re.compile(r"status=working&"))
    page.get_by_label("New", exact=True).check()
    expect(page).to_have_url(re.compile(r"status=new"))
    expect(page.locator("#lead-results")).to_contain_text("Berg")
    page.go_back()
    expect(page).to_have_url(re.compile(r"status=working&"))
    expect_whole_page(page, "Leads")
    expect(page.locator("#lead-results")).not_to_contain_text("Berg")
    expect(page.locator("nav.navbar")).to_have_count(1)
    page.go_forward()
    expect(page.locator("#lead-results")).to_contain_text("Berg")
    expect(page.locator("nav.navbar")).to_have_count(1)
