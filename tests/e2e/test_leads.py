"""The lead page's refusals, as a user sees them."""

import pytest
from playwright.sync_api import expect

from tests.factories import LeadFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_disallowed_move_shows_error(page, login):
    rep = UserFactory(team=TeamFactory())
    lead = LeadFactory(owner=rep)
    login(page, rep)
    page.goto(f"/leads/{lead.pk}/")
    expect(page.locator("#lead-status")).to_have_text("New")

    page.locator('button[data-status="nurturing"]').click()

    expect(page.locator("#alerts .alert-danger")).to_have_text(
        "A lead cannot move from “New” to “Nurturing”. Allowed from here: Working, Unqualified."
    )
    expect(page.locator("#lead-status")).to_have_text("New")
    lead.refresh_from_db()
    assert lead.status == "new"
