"""Layout, measured in Chromium at a desktop (1440 px) and a phone (390 px) width: nothing
runs off the screen, nothing is cut off, nothing covers the controls."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import (
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
    stage_named,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = {"desktop": 1440, "phone": 390}


@pytest.fixture(params=sorted(WIDTHS))
def sized_page(request, page, phone_page):
    """The page at 1440 px, or the phone-sized one at 390 px."""
    if request.param == "desktop":
        page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
        return page
    return phone_page


@pytest.fixture
def rep():
    return UserFactory(team=TeamFactory(), first_name="Rita")


def overlaps(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_the_header_search_results_stay_on_the_screen(sized_page, login, rep):
    page = sized_page
    LeadFactory(owner=rep, last_name="Lindqvist", company="Lindqvist Bygg och Anläggning AB")
    login(page, rep)
    search = page.locator("#global-search")
    if not search.is_visible():
        page.locator(".navbar-toggler").click()
    search.fill("Lindqvist")
    results = page.locator("#search-results")
    expect(results.locator("a").first).to_be_visible()
    box = results.bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)


TEXT_FITS = """select => {
    const style = getComputedStyle(select);
    const context = document.createElement('canvas').getContext('2d');
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const widest = Math.max(...[...select.options].map(o => context.measureText(o.text).width));
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const room = select.clientWidth - padding;
    return {widest, room};
}"""


@pytest.mark.parametrize(
    ("url", "select"),
    [
        ("/opportunities/", "#id_ordering"),
        ("/organizations/", "#id_ordering"),
        ("/contacts/", "#id_ordering"),
        ("/leads/", "#id_ordering"),
    ],
)
def test_sort_selects_show_their_options_whole(sized_page, login, rep, url, select):
    page = sized_page
    login(page, rep)
    page.goto(url)
    measured = page.locator(select).evaluate(TEXT_FITS)
    assert measured["widest"] <= measured["room"] + 0.5, measured


def test_board_columns_keep_their_width_when_totals_arrive(sized_page, login, rep):
    page = sized_page
    organization = OrganizationFactory(owner=rep)
    for currency in ("EUR", "GBP", "NOK", "USD"):
        OpportunityFactory(
            # A long word and long sums must wrap, not widen the column.
            name="Windenergieanlagenwartungsrahmenvertragsverlängerung",
            organization=organization,
            owner=rep,
            stage=stage_named("Needs analysis"),
            amount=Decimal("123456789.50"),
            currency=currency,
        )
    login(page, rep)
    # Hold the columns back, measure them loading, then let them load and measure again.
    held, released = [], []

    def hold(route):
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route("**/board/columns/**", hold)
    page.goto("/board/")
    expect(page.locator(".column-loading")).to_have_count(6)
    columns = page.locator(".board-column")
    before = [columns.nth(i).bounding_box()["width"] for i in range(6)]
    released.append(True)
    for route in held:
        route.continue_()
    expect(page.locator(".column-loading")).to_have_count(0)
    expect(page.locator('[data-testid="column-sum"]').nth(1)).not_to_have_text("…")
    after = [columns.nth(i).bounding_box()["width"] for i in range(6)]
    assert after == before
    assert len(set(after)) == 1


def test_a_success_message_covers_no_control_and_goes_away(sized_page, login, rep):
    page = sized_page
    lead = LeadFactory(owner=rep, status="new")
    login(page, rep)
    page.goto(f"/leads/{lead.pk}/")
    page.locator('button[data-status="working"]').click()
    message = page.locator("#alerts .alert-success")
    expect(message).to_contain_text("Status changed")
    expect(message).to_have_attribute("role", "status")
    box = message.bounding_box()
    for name in ("Edit", "Convert"):
        control = page.get_by_role("link", name=name, exact=True)
        assert not overlaps(box, control.bounding_box()), name
    expect(message).to_have_count(0, timeout=12_000)


def test_an_error_message_stays_until_closed(sized_page, login, rep):
    page = sized_page
    lead = LeadFactory(owner=rep, status="new")
    login(page, rep)
    page.goto(f"/leads/{lead.pk}/")
    page.locator('button[data-status="nurturing"]').click()
    error = page.locator("#alerts .alert-danger")
    expect(error).to_be_visible()
    expect(error).to_have_attribute("role", "alert")
    page.wait_for_timeout(8_000)
    expect(error).to_be_visible()
    assert not overlaps(
        error.bounding_box(), page.get_by_role("link", name="Edit", exact=True).bounding_box()
    )
    error.get_by_role("button", name="Close").click()
    expect(error).to_have_count(0)
