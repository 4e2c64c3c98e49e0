"""A phone-sized screen: no sideways scrolling of the page, and the menu opens."""

import pytest
from playwright.sync_api import expect

from tests.factories import (
    ActivityFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGE_WIDTHS = "() => [document.documentElement.scrollWidth, document.body.scrollWidth]"


def assert_no_sideways_scroll(page) -> None:
    """Nothing sticks out to the right of the screen. Compared with the screen's width,
    not ``window.innerWidth``: a phone browser zooms out to fit a too wide page, and its
    inner width grows with it."""
    screen_width = page.viewport_size["width"]
    document_width, body_width = page.evaluate(PAGE_WIDTHS)
    assert document_width <= screen_width + 1, (
        f"the page scrolls sideways: {document_width}px on a {screen_width}px screen"
    )
    assert body_width <= screen_width + 1, (
        f"body is {body_width}px wide on a {screen_width}px screen"
    )
    assert page.evaluate("window.innerWidth") == screen_width, "the page was zoomed out to fit"


def test_phone_width(phone_page, login):
    page = phone_page
    rep = UserFactory(team=TeamFactory())
    lead = LeadFactory(
        owner=rep,
        first_name="Marit",
        last_name="Johannessen-Abrahamsen",
        company="Vestlandske Havbruk og Fiskeoppdrett AS",
        email="marit.johannessen-abrahamsen@vestlandske-havbruk.example",
        website="https://www.vestlandske-havbruk-og-fiskeoppdrett.example/",
        status="working",
    )
    ActivityFactory(lead=lead, subject="Long call about feeding barges and sensor networks")
    organization = OrganizationFactory(name="Vestlandske Havbruk AS", owner=rep)
    OpportunityFactory(name="Sensor network for 12 sites", organization=organization)
    login(page, rep)

    page.goto(f"/leads/{lead.pk}/")
    expect(page.locator("#lead-status")).to_have_text("Working")
    expect(page.get_by_test_id("timeline-activity")).to_have_count(1)
    assert_no_sideways_scroll(page)

    # The menu is folded behind the toggler; it opens with a tap.
    menu_link = page.locator("#main-nav").get_by_role("link", name="Board")
    expect(menu_link).to_be_hidden()
    page.locator(".navbar-toggler").click()
    expect(page.locator(".navbar-toggler")).to_have_attribute("aria-expanded", "true")
    expect(menu_link).to_be_visible()
    menu_link.click()

    # The board scrolls sideways inside itself, not the page.
    expect(page.locator(".board-card")).to_have_count(1)
    expect(page.locator(".board-column").first).to_be_visible()
    assert_no_sideways_scroll(page)
    board_width, board_visible = page.locator("#board-area").evaluate(
        "node => [node.scrollWidth, node.clientWidth]"
    )
    assert board_visible <= 390
    assert board_width > board_visible  # the columns are there, one swipe away
