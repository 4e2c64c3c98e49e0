"""The pipeline board when a move does not go through: the card goes back where it was,
and the user is told why."""

import pytest
from playwright.sync_api import expect

from tests.factories import (
    OpportunityFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
    stage_named,
)
from vorsprung.sales.models import Opportunity

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_board_drag_refused_returns_card(page, login, drag):
    rep = UserFactory(team=TeamFactory())
    organization = OrganizationFactory(name="Nordlys Solar AS", owner=rep)
    negotiation = stage_named("Negotiation")
    deal = OpportunityFactory(
        name="Rooftop arrays", organization=organization, stage=negotiation, amount=12000
    )
    stale = OpportunityFactory(
        name="Carport pilot", organization=organization, stage=negotiation, amount=3000
    )
    login(page, rep)
    page.goto("/board/")

    home = page.locator(f'.board-column[data-stage-id="{negotiation.pk}"]')
    lost = page.locator('.board-column[data-stage-kind="lost"]')
    won = page.locator('.board-column[data-stage-kind="won"]')
    card = page.locator(f'.board-card[data-opportunity-id="{deal.pk}"]')
    stale_card = page.locator(f'.board-card[data-opportunity-id="{stale.pk}"]')
    dialog = page.get_by_test_id("lost-dialog")
    alerts = page.locator("#alerts .alert-danger")
    expect(home.locator(".cards").locator(card)).to_be_visible()
    expect(home.locator(".cards").locator(stale_card)).to_be_visible()
    expect(home.locator(".column-count")).to_have_attribute("data-count", "2")

    # Dropped on "lost", the reason dialog cancelled: nothing happens, the card is back.
    drag(page, card, lost.locator(".cards"))
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Rooftop arrays")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(home.locator(".cards").locator(card)).to_be_visible()
    expect(lost.locator(".board-card")).to_have_count(0)

    # Confirmed without a reason: the server refuses, says why, and the card goes back.
    drag(page, card, lost.locator(".cards"))
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Mark lost").click()
    expect(alerts).to_have_text("Say why the opportunity was lost.")
    expect(home.locator(".cards").locator(card)).to_be_visible()
    expect(lost.locator(".board-card")).to_have_count(0)
    expect(lost.locator(".column-count")).to_have_attribute("data-count", "0")
    expect(home.locator(".column-count")).to_have_attribute("data-count", "2")
    expect(card).to_have_attribute("aria-busy", "false")

    # An opportunity deleted meanwhile: the move fails, an alert says so, the card is back.
    Opportunity.objects.filter(pk=stale.pk).delete()
    drag(page, stale_card, won.locator(".cards"))
    expect(alerts).to_have_count(2)
    expect(alerts.nth(1)).to_have_text(
        "This opportunity was deleted or moved out of your sight; reload the board."
    )
    expect(home.locator(".cards").locator(stale_card)).to_be_visible()
    expect(won.locator(".board-card")).to_have_count(0)
    expect(won.locator(".column-count")).to_have_attribute("data-count", "0")

    deal.refresh_from_db()
    assert deal.stage_id == negotiation.pk
    assert not deal.is_closed
