"""The shell around every page: logging in and out, the language switch, the search."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import LeadFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_login_required_and_logout(page):
    user = UserFactory(username="ingrid", first_name="Ingrid", last_name="Berg")

    page.goto("/leads/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/leads/$"))

    page.locator('input[name="username"]').fill("ingrid")
    page.locator('input[name="password"]').fill("not-her-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username")
    expect(page).to_have_url(re.compile(r"/login/"))

    page.locator('input[name="password"]').fill("secret-pass-123")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/leads/$"))
    expect(page.locator("#user-menu")).to_have_text(str(user))
    page.wait_for_load_state()

    page.locator("#user-menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.goto("/leads/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/leads/$"))


def test_switch_to_german(page, login):
    user = UserFactory()
    login(page, user)
    page.goto("/tasks/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    nav = page.locator("#main-nav")
    expect(nav.get_by_role("link", name="Opportunities")).to_be_visible()

    page.locator("#user-menu").click()
    page.locator('button[data-language="de"]').click()

    # The same page again, now in German; the choice is kept on the user.
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page).to_have_url(re.compile(r"/tasks/$"))
    page.wait_for_load_state()
    expect(nav.get_by_role("link", name="Verkaufschancen")).to_be_visible()
    expect(nav.get_by_role("link", name="Aufgaben")).to_be_visible()
    page.locator("#user-menu").click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    expect(page.locator('button[data-language="de"]')).to_have_class(re.compile(r"\bactive\b"))
    user.refresh_from_db()
    assert user.language == "de"


def test_search_as_you_type(page, login):
    team = TeamFactory()
    rep = UserFactory(team=team)
    lead = LeadFactory(
        first_name="Solveig", last_name="Kvernmoen", company="Havbris Fisk AS", owner=rep
    )
    LeadFactory(first_name="Other", last_name="Person", owner=rep)
    login(page, rep)

    page.locator("#global-search").press_sequentially("kvernmoen solv")

    results = page.locator("#search-results")
    expect(results.get_by_text("Leads", exact=True)).to_be_visible()
    hit = results.get_by_role("link", name=re.compile("Solveig Kvernmoen"))
    expect(hit).to_contain_text("Havbris Fisk AS")
    expect(results.get_by_role("link")).to_have_count(2)
    expect(results.get_by_role("link", name="Show all results")).to_be_visible()
    hit.click()
    expect(page).to_have_url(re.compile(rf"/leads/{lead.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Solveig Kvernmoen")


def test_show_all_results_counts_every_match_and_opens_the_list(page, login):
    rep = UserFactory(team=TeamFactory())
    for n in range(23):
        LeadFactory(first_name=f"Kari{n}", last_name="Fjellheim", owner=rep, email="")
    LeadFactory(first_name="Kari", last_name="Fjellheim", owner=UserFactory(team=TeamFactory()))
    login(page, rep)

    page.locator("#global-search").press_sequentially("fjellheim")
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name=re.compile("Fjellheim"))).to_have_count(5)
    results.get_by_role("link", name="Show all results").click()

    expect(page).to_have_url(re.compile(r"/search/\?q=fjellheim$"))
    leads = page.locator("section", has=page.get_by_role("heading", name="Leads"))
    expect(leads).to_contain_text("23 matches")
    expect(leads.get_by_role("link", name=re.compile("Fjellheim"))).to_have_count(20)
    leads.get_by_role("link", name="Show all 23 matches in the list").click()

    expect(page).to_have_url(re.compile(r"/leads/\?q=fjellheim$"))
    expect(page.get_by_role("link", name=re.compile("Kari22 Fjellheim"))).to_be_visible()
