"""axe-core finds no critical or serious accessibility violation on any main page, in
English, at desktop and at phone width. axe-core is vendored in tests/e2e/vendor."""

from pathlib import Path

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
from vorsprung.sales.rates import exchange_rate_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = ("critical", "serious")


def axe_violations(page) -> list[str]:
    """Run axe-core on the page as it is; the critical and serious violations, one line
    each with the offending elements."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))
            }));
        }"""
    )
    return [
        f"{v['impact']}: {v['id']} at {', '.join(v['nodes'])}"
        for v in result
        if v["impact"] in SERIOUS
    ]


def main_pages(admin) -> dict[str, str]:
    """Every main page, with the data it needs to show all its parts."""
    organization = OrganizationFactory(name="Lindqvist Bygg AB", owner=admin)
    contact = ContactFactory(organization=organization, owner=admin, last_name="Lindqvist")
    opportunity = OpportunityFactory(organization=organization, owner=admin, name="Nybygg")
    OpportunityFactory(
        organization=organization, owner=admin, name="Tak", currency="GBP", amount=5000
    )
    exchange_rate_create(actor=admin, currency="GBP", rate="1.17", valid_from="2026-01-01")
    lead = LeadFactory(owner=admin, last_name="Holm", company="Lindqvist Bygg AB")
    ActivityFactory(lead=lead, owner=admin, subject="Ring tillbaka", kind="task")
    return {
        "/": "Good day",
        "/leads/": "Leads",
        f"/leads/{lead.pk}/": "Holm",
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
        "/search/?q=Lindqvist": "",
        "/settings/": "Settings",
        "/settings/users/": "Users",
        "/settings/teams/": "Teams",
        "/settings/pipelines/": "Pipelines",
        "/settings/lost-reasons/": "Lost reasons",
        "/settings/disqualification-reasons/": "Disqualification reasons",
        "/settings/conversion/": "Conversion",
        "/settings/exchange-rates/": "Exchange rates",
    }


def check_every_page(page, login) -> None:
    admin = AdminFactory(username="astrid", first_name="Astrid")
    pages = main_pages(admin)
    login(page, admin)
    found = {}
    for url, heading in pages.items():
        page.goto(url)
        if heading:
            expect(page.locator("h1")).to_contain_text(heading)
        expect(page.locator('.column-loading, [data-testid="timeline-loading"]')).to_have_count(0)
        violations = axe_violations(page)
        if violations:
            found[url] = violations
    # The header search's results, open.
    page.goto("/")
    search = page.locator("#global-search")
    if not search.is_visible():
        page.locator(".navbar-toggler").click()
    search.fill("Lindqvist")
    expect(page.locator("#search-results a").first).to_be_visible()
    violations = axe_violations(page)
    if violations:
        found["header search"] = violations
    assert not found, "\n".join(
        f"{url}: {violation}" for url, violations in found.items() for violation in violations
    )


def test_no_serious_violation_at_desktop_width(page, login):
    page.set_viewport_size({"width": 1440, "height": 900})
    check_every_page(page, login)


def test_no_serious_violation_at_phone_width(phone_page, login):
    check_every_page(phone_page, login)
