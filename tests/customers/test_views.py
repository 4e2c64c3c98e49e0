"""The organization and contact pages, through a real client: what a user sees, what
they may not see, and what a submitted form changes."""

import re

import factory
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ContactFactory,
    ManagerFactory,
    OpportunityFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
    stage_named,
)
from vorsprung.customers.forms import ContactForm, OrganizationForm
from vorsprung.customers.models import Contact, Organization
from vorsprung.history.models import Change
from vorsprung.sales.models import OpportunityContactRole

HTMX = {"HTTP_HX_REQUEST": "true"}
REQUIRED = "This field is required."


@pytest.fixture
def team(db):
    return TeamFactory()


@pytest.fixture
def rep(team):
    return UserFactory(team=team, first_name="Rita", last_name="Rep")


@pytest.fixture
def teammate(team):
    return UserFactory(team=team, first_name="Tom", last_name="Mate")


@pytest.fixture
def other_rep(db):
    return UserFactory(team=TeamFactory(), first_name="Otto", last_name="Other")


@pytest.fixture
def browser(client_for, rep):
    return client_for(rep)


def page_text(response) -> str:
    return response.content.decode()


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def next_link(response) -> str:
    """The Next link, resolved against the page's path as a browser would."""
    match = re.search(r'rel="next" href="([^"]+)"', page_text(response))
    assert match, "no Next link"
    return response.request["PATH_INFO"] + match.group(1).replace("&amp;", "&")


# --- organization list --------------------------------------------------------------------


def test_organization_list_shows_only_visible_organizations(browser, rep, teammate, other_rep):
    OrganizationFactory(name="Mine GmbH", owner=rep)
    OrganizationFactory(name="Teammate AG", owner=teammate)
    OrganizationFactory(name="Elsewhere AS", owner=other_rep)

    text = page_text(browser.get(reverse("customers:organization_list")))

    assert "Mine GmbH" in text
    assert "Teammate AG" in text
    assert "Elsewhere AS" not in text


def test_organization_list_shows_columns_and_lifecycle_badge(browser, rep):
    OrganizationFactory(
        name="Fjord AS", owner=rep, industry="maritime", lifecycle="customer", city="Bergen",
        country="NO",
    )  # fmt: skip

    text = page_text(browser.get(reverse("customers:organization_list")))

    assert "Maritime and shipping" in text
    assert 'badge text-bg-success">Customer' in text
    assert "Bergen, Norway" in text
    assert "Rita Rep" in text


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ("lifecycle=customer", "Kunde GmbH", "Prospekt GmbH"),
        ("industry=software", "Kunde GmbH", "Prospekt GmbH"),
        ("country=NO", "Prospekt GmbH", "Kunde GmbH"),
        ("q=kun", "Kunde GmbH", "Prospekt GmbH"),
        ("q=prospekt.example", "Prospekt GmbH", "Kunde GmbH"),
    ],
)
def test_organization_list_filters_and_search(browser, rep, query, shown, hidden):
    OrganizationFactory(
        name="Kunde GmbH", owner=rep, lifecycle="customer", industry="software", country="DE"
    )
    OrganizationFactory(
        name="Prospekt GmbH", owner=rep, domain="prospekt.example", industry="retail", country="NO"
    )

    text = page_text(browser.get(f"{reverse('customers:organization_list')}?{query}"))

    assert shown in text
    assert hidden not in text


def test_organization_list_filters_by_owner(browser, rep, teammate):
    OrganizationFactory(name="Rita's Account", owner=rep)
    OrganizationFactory(name="Tom's Account", owner=teammate)

    response = browser.get(reverse("customers:organization_list"), {"owner": teammate.pk})

    assert "Tom&#x27;s Account" in page_text(response)
    assert "Rita&#x27;s Account" not in page_text(response)


def test_organization_list_keeps_filters_in_the_form(browser, rep):
    response = browser.get(
        reverse("customers:organization_list"), {"lifecycle": "partner", "q": "Acme"}
    )

    text = page_text(response)
    assert '<option value="partner" selected>' in text
    assert 'value="Acme"' in text
    assert 'hx-push-url="true"' in text


def test_organization_list_pages_with_next_link(browser, rep):
    for number in range(55):
        OrganizationFactory(name=f"Org {number:03d}", owner=rep)

    first = browser.get(reverse("customers:organization_list"), {"lifecycle": "prospect"})
    assert "Org 049" in page_text(first)
    assert "Org 050" not in page_text(first)

    second = browser.get(next_link(first))
    text = page_text(second)
    assert "Org 049" not in text
    assert all(f"Org {n:03d}" in text for n in range(50, 55))
    assert 'rel="next"' not in text
    assert "First page" in text
    # The filters travel with the cursor.
    assert "lifecycle=prospect" in next_link(first)


def test_organization_list_orders_by_newest(browser, rep):
    OrganizationFactory(name="Older", owner=rep)
    OrganizationFactory(name="Newer", owner=rep)

    text = page_text(
        browser.get(reverse("customers:organization_list"), {"ordering": "-created_at"})
    )

    assert text.index("Newer") < text.index("Older")


def test_organization_list_with_a_bad_cursor_shows_the_first_page(browser, rep):
    OrganizationFactory(name="Still Here", owner=rep)

    response = browser.get(reverse("customers:organization_list"), {"cursor": "rubbish"})

    assert response.status_code == 200
    assert "start again from the first page" in page_text(response)
    assert "Still Here" in page_text(response)


def test_organization_list_answers_htmx_with_the_table_only(browser, rep):
    OrganizationFactory(name="Partial Ltd", owner=rep)

    response = browser.get(reverse("customers:organization_list"), **HTMX)

    text = page_text(response)
    assert "Partial Ltd" in text
    assert "<html" not in text
    assert 'id="organization-table"' in text
    assert "HX-Request" in response["Vary"]


def test_organization_list_query_count_does_not_grow(browser, rep, teammate):
    url = f"{reverse('customers:organization_list')}?owner={teammate.pk}&q=Org"
    OrganizationFactory.create_batch(3, owner=teammate, name=factory.Sequence(lambda n: f"Org {n}"))
    small = queries_for(browser, url)

    OrganizationFactory.create_batch(
        27, owner=teammate, name=factory.Sequence(lambda n: f"Org {n}")
    )
    assert queries_for(browser, url) == small
    assert queries_for(browser, reverse("customers:organization_list")) <= small


# --- organization detail ------------------------------------------------------------------


def test_organization_detail_shows_fields_contacts_and_opportunities(browser, rep):
    organization = OrganizationFactory(
        name="Nordlicht GmbH",
        owner=rep,
        industry="energy",
        size_band="51-200",
        employee_count=120,
        annual_revenue=2_500_000,
        annual_revenue_currency="EUR",
        website="https://nordlicht.example",
        domain="nordlicht.example",
        street="Hafenstraße 1",
        postal_code="20457",
        city="Hamburg",
        country="DE",
        lifecycle="customer",
    )
    ContactFactory(organization=organization, first_name="Nina", last_name="Nord")
    OpportunityFactory(organization=organization, name="Wind farm", amount=50000)
    OpportunityFactory(
        organization=organization,
        name="Solar roof",
        stage=stage_named("Closed won"),
        is_closed=True,
        is_won=True,
    )
    OpportunityFactory(
        organization=organization,
        name="Heat pump",
        stage=stage_named("Closed lost"),
        is_closed=True,
    )

    page = page_text(browser.get(reverse("customers:organization_detail", args=[organization.pk])))
    panel_url = reverse("sales:organization_opportunities", args=[organization.pk])
    text = page + page_text(browser.get(panel_url, **HTMX))

    assert f'hx-get="{panel_url}" hx-trigger="load"' in page
    for expected in (
        "Nordlicht GmbH",
        "Energy and utilities",
        "51–200 employees",
        "120",
        "€2,500,000",
        "nordlicht.example",
        "Hafenstraße 1",
        "Hamburg",
        "Germany",
        "Customer",
        "Rita Rep",
        "Nina Nord",
        "€50,000",
        'data-testid="timeline-panel"',
        reverse("customers:organization_edit", args=[organization.pk]),
    ):
        assert expected in text, expected
    open_part, closed_part = text.split('id="opportunities-won"')
    won_part, lost_part = closed_part.split('id="opportunities-lost"')
    assert "Wind farm" in open_part and "Solar roof" not in open_part
    assert "Solar roof" in won_part and "Heat pump" not in won_part
    assert "Heat pump" in lost_part


def test_organization_detail_hides_related_records_of_other_teams(browser, rep, other_rep):
    organization = OrganizationFactory(owner=rep)
    ContactFactory(organization=organization, owner=other_rep, last_name="Hidden")
    OpportunityFactory(organization=organization, owner=other_rep, name="Secret deal")

    text = page_text(browser.get(reverse("customers:organization_detail", args=[organization.pk])))
    text += page_text(
        browser.get(reverse("sales:organization_opportunities", args=[organization.pk]), **HTMX)
    )

    assert "Hidden" not in text
    assert "Secret deal" not in text


def test_organization_detail_bounds_each_group_and_counts_all(browser, rep):
    organization = OrganizationFactory(owner=rep)
    OpportunityFactory.create_batch(23, organization=organization)
    ContactFactory.create_batch(22, organization=organization)

    text = page_text(browser.get(reverse("customers:organization_detail", args=[organization.pk])))
    text += page_text(
        browser.get(reverse("sales:organization_opportunities", args=[organization.pk]), **HTMX)
    )

    assert "Showing 20 of 23." in text
    assert "Show all 22 contacts" in text


@pytest.mark.parametrize(
    "url_name", ["customers:organization_detail", "sales:organization_opportunities"]
)
def test_organization_detail_query_count_does_not_grow(browser, rep, url_name):
    organization = OrganizationFactory(owner=rep)
    url = reverse(url_name, args=[organization.pk])

    def add(n):
        ContactFactory.create_batch(n, organization=organization)
        OpportunityFactory.create_batch(n, organization=organization)
        OpportunityFactory.create_batch(
            n,
            organization=organization,
            stage=stage_named("Closed won"),
            is_closed=True,
            is_won=True,
        )

    add(3)
    small = queries_for(browser, url)
    add(27)
    assert queries_for(browser, url) == small


def test_organization_of_another_team_is_404(browser, other_rep):
    organization = OrganizationFactory(owner=other_rep)

    assert (
        browser.get(reverse("customers:organization_detail", args=[organization.pk])).status_code
        == 404
    )
    assert (
        browser.get(reverse("customers:organization_edit", args=[organization.pk])).status_code
        == 404
    )


# --- organization create / edit -----------------------------------------------------------


def test_create_organization_without_name_shows_the_error_and_writes_nothing(browser):
    response = browser.post(
        reverse("customers:organization_create"),
        {"name": "", "lifecycle": "prospect"},
        **HTMX,
    )

    assert response.status_code == 422
    text = page_text(response)
    assert 'id="id_name_error">This field is required.' in text
    assert "<html" not in text
    assert Organization.objects.count() == 0


def test_create_organization_shows_service_errors_beside_the_field(browser, rep):
    response = browser.post(
        reverse("customers:organization_create"),
        {"name": "Acme", "lifecycle": "prospect", "owner": rep.pk, "phone": "12"},
        **HTMX,
    )

    assert response.status_code == 422
    assert 'id="id_phone_error"' in page_text(response)
    assert Organization.objects.count() == 0


def test_create_organization(browser, rep, teammate):
    response = browser.post(
        reverse("customers:organization_create"),
        {
            "name": "Acme Widgets",
            "lifecycle": "customer",
            "website": "www.acme-widgets.example",
            "employee_count": "40",
            "country": "DE",
            "owner": teammate.pk,
        },
        **HTMX,
    )

    organization = Organization.objects.get()
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse(
        "customers:organization_detail", args=[organization.pk]
    )
    assert organization.name == "Acme Widgets"
    assert organization.lifecycle == "customer"
    assert organization.domain == "acme-widgets.example"
    assert organization.size_band == "11-50"
    assert organization.owner == teammate


def test_create_form_offers_assignable_owners_only(browser, rep, teammate, other_rep):
    text = page_text(browser.get(reverse("customers:organization_create")))

    assert "Tom Mate" in text
    assert "Otto Other" not in text
    assert f'<option value="{rep.pk}" selected>' in text


def test_rep_cannot_make_another_team_the_owner(browser, other_rep):
    response = browser.post(
        reverse("customers:organization_create"),
        {"name": "Acme", "lifecycle": "prospect", "owner": other_rep.pk},
    )

    assert response.status_code == 422
    assert "Select a valid choice" in page_text(response)
    assert Organization.objects.count() == 0


def seen_of(form_class, record) -> str:
    """What the edit page's form carries of ``record`` as it is now."""
    return form_class(actor=record.owner, instance=record).initial["seen"]


def edit_data(organization, **changes) -> dict:
    data = {
        "name": organization.name,
        "lifecycle": organization.lifecycle,
        "owner": organization.owner_id,
        "seen": seen_of(OrganizationForm, organization),
    }
    data.update(changes)
    return data


def test_edit_organization_changes_it_and_records_the_lifecycle_move(browser, rep):
    organization = OrganizationFactory(name="Old Name", owner=rep)

    response = browser.post(
        reverse("customers:organization_edit", args=[organization.pk]),
        edit_data(organization, name="New Name", lifecycle="customer", city="Oslo"),
    )

    assert response.status_code == 303
    organization.refresh_from_db()
    assert organization.name == "New Name"
    assert organization.city == "Oslo"
    assert organization.lifecycle == "customer"
    assert Change.objects.filter(
        record_type="organization", record_id=organization.pk, new_value="customer"
    ).exists()
    page = browser.get(response["Location"])
    assert "Organization “New Name” saved." in page_text(page)


def test_edit_form_is_filled_with_the_record(browser, rep):
    organization = OrganizationFactory(name="Filled In", owner=rep, country="NO", city="Oslo")

    text = page_text(browser.get(reverse("customers:organization_edit", args=[organization.pk])))

    assert 'value="Filled In"' in text
    assert 'value="Oslo"' in text
    assert '<option value="NO" selected>' in text
    assert 'type="hidden" name="seen"' in text


def test_edit_of_a_field_someone_else_changed_is_refused(browser, rep):
    organization = OrganizationFactory(name="Contested", owner=rep)
    data = edit_data(organization, name="Mine")
    organization.name = "Theirs"
    organization.save()

    response = browser.post(
        reverse("customers:organization_edit", args=[organization.pk]), data, **HTMX
    )

    assert response.status_code == 422
    assert "Someone else changed “Name” since you opened this form." in response.content.decode()
    organization.refresh_from_db()
    assert organization.name == "Theirs"


def test_edit_saves_over_a_change_to_a_field_the_form_does_not_edit(browser, rep):
    organization = OrganizationFactory(name="Calm", owner=rep)
    data = edit_data(organization, name="Calmer")
    Organization.objects.filter(pk=organization.pk).update(
        name_key="something else", version=organization.version + 3
    )

    response = browser.post(reverse("customers:organization_edit", args=[organization.pk]), data)

    assert response.status_code == 303
    organization.refresh_from_db()
    assert organization.name == "Calmer"


def test_post_without_csrf_token_is_refused(rep):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)

    response = client.post(
        reverse("customers:organization_create"), {"name": "Acme", "lifecycle": "prospect"}
    )

    assert response.status_code == 403
    assert Organization.objects.count() == 0


# --- contacts -----------------------------------------------------------------------------


def test_contact_list_shows_only_visible_contacts(browser, rep, teammate, other_rep):
    organization = OrganizationFactory(name="Shared Org", owner=rep)
    ContactFactory(last_name="Mine", owner=rep, organization=organization, job_title="CFO")
    ContactFactory(last_name="Teammates", owner=teammate)
    ContactFactory(last_name="Foreign", owner=other_rep)

    text = page_text(browser.get(reverse("customers:contact_list")))

    assert "Mine" in text and "CFO" in text and "Shared Org" in text
    assert reverse("customers:organization_detail", args=[organization.pk]) in text
    assert "Teammates" in text
    assert "Foreign" not in text


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ("q=bau", "Bauer", "Schmidt"),
        ("q=schmidt%40", "Schmidt", "Bauer"),
        ("country=AT", "Schmidt", "Bauer"),
        ("is_decision_maker=yes", "Bauer", "Schmidt"),
        ("is_decision_maker=no", "Schmidt", "Bauer"),
    ],
)
def test_contact_list_filters_and_search(browser, rep, query, shown, hidden):
    ContactFactory(last_name="Bauer", email="b@example.org", owner=rep, is_decision_maker=True)
    ContactFactory(last_name="Schmidt", email="schmidt@example.org", owner=rep, country="AT")

    text = page_text(browser.get(f"{reverse('customers:contact_list')}?{query}"))

    assert shown in text
    assert hidden not in text


def test_contact_list_filters_by_organization(browser, rep):
    organization = OrganizationFactory(name="Chosen Org", owner=rep)
    ContactFactory(last_name="Inside", organization=organization)
    ContactFactory(last_name="Outside", owner=rep)

    text = page_text(
        browser.get(reverse("customers:contact_list"), {"organization": organization.pk})
    )

    assert "Inside" in text
    assert "Outside" not in text
    assert "Organization: Chosen Org" in text


def test_contact_list_pages_with_next_link(browser, rep):
    organization = OrganizationFactory(owner=rep)
    for number in range(52):
        ContactFactory(last_name=f"Person{number:03d}", organization=organization)

    first = browser.get(reverse("customers:contact_list"))
    assert "Person049" in page_text(first) and "Person050" not in page_text(first)

    second = browser.get(next_link(first))
    assert "Person050" in page_text(second) and "Person051" in page_text(second)
    assert "Person049" not in page_text(second)


def test_contact_list_query_count_does_not_grow(browser, rep):
    url = reverse("customers:contact_list")
    ContactFactory.create_batch(3, owner=rep, organization__owner=rep)
    small = queries_for(browser, url)

    ContactFactory.create_batch(27, owner=rep, organization__owner=rep)
    assert queries_for(browser, url) == small


def test_contact_detail_shows_fields_organization_and_opportunities(browser, rep):
    organization = OrganizationFactory(name="Contact's Org", owner=rep)
    contact = ContactFactory(
        first_name="Clara",
        last_name="Contact",
        email="clara@example.org",
        phone="+4930123456",
        job_title="Head of IT",
        organization=organization,
        owner=rep,
    )
    OpportunityFactory(organization=organization, name="As primary", primary_contact=contact)
    with_role = OpportunityFactory(organization=organization, name="With a role")
    OpportunityContactRole.objects.create(opportunity=with_role, contact=contact, role="influencer")
    OpportunityFactory(organization=organization, name="Not hers")

    page = page_text(browser.get(reverse("customers:contact_detail", args=[contact.pk])))
    panel_url = reverse("sales:contact_opportunities", args=[contact.pk])
    text = page + page_text(browser.get(panel_url, **HTMX))

    assert f'hx-get="{panel_url}" hx-trigger="load"' in page

    for expected in (
        "Clara Contact",
        "clara@example.org",
        "+4930123456",
        "Head of IT",
        "Contact&#x27;s Org",
        "Rita Rep",
        "As primary",
        "Primary contact",
        "With a role",
        "Influencer",
        'data-testid="timeline-panel"',
        reverse("customers:contact_edit", args=[contact.pk]),
    ):
        assert expected in text, expected
    assert "Not hers" not in text


@pytest.mark.parametrize("url_name", ["customers:contact_detail", "sales:contact_opportunities"])
def test_contact_detail_query_count_does_not_grow(browser, rep, url_name):
    contact = ContactFactory(owner=rep, organization__owner=rep)
    url = reverse(url_name, args=[contact.pk])

    def add(n):
        for opportunity in OpportunityFactory.create_batch(n, organization=contact.organization):
            OpportunityContactRole.objects.create(
                opportunity=opportunity, contact=contact, role="user"
            )
        OpportunityFactory.create_batch(
            n, organization=contact.organization, primary_contact=contact
        )

    add(3)
    small = queries_for(browser, url)
    add(27)
    assert queries_for(browser, url) == small


def test_the_opportunity_panels_work_without_scripts_too(browser, rep):
    contact = ContactFactory(owner=rep, organization__owner=rep, last_name="Lind")
    OpportunityFactory(organization=contact.organization, primary_contact=contact, name="Nybygg")

    for url in (
        reverse("sales:organization_opportunities", args=[contact.organization_id]),
        reverse("sales:contact_opportunities", args=[contact.pk]),
    ):
        text = page_text(browser.get(url))
        assert "<html" in text and "<h1" in text and "Nybygg" in text


def test_the_opportunity_panels_of_records_of_another_team_are_404(browser, other_rep):
    contact = ContactFactory(owner=other_rep, organization__owner=other_rep)

    for url in (
        reverse("sales:organization_opportunities", args=[contact.organization_id]),
        reverse("sales:contact_opportunities", args=[contact.pk]),
    ):
        assert browser.get(url, **HTMX).status_code == 404


def test_contact_of_another_team_is_404(browser, other_rep):
    contact = ContactFactory(owner=other_rep)

    assert browser.get(reverse("customers:contact_detail", args=[contact.pk])).status_code == 404
    assert browser.get(reverse("customers:contact_edit", args=[contact.pk])).status_code == 404


def test_create_contact_with_a_picked_organization(browser, rep):
    organization = OrganizationFactory(name="Picked Org", owner=rep)

    response = browser.post(
        reverse("customers:contact_create"),
        {
            "first_name": "Pia",
            "last_name": "Picked",
            "email": "PIA@Example.org",
            "organization": organization.pk,
            "organization_search": "Picked Org",
            "owner": rep.pk,
        },
    )

    contact = Contact.objects.get()
    assert response.status_code == 303
    assert response["Location"] == reverse("customers:contact_detail", args=[contact.pk])
    assert contact.organization == organization
    assert contact.email == "pia@example.org"


def test_create_contact_without_name_or_email_shows_the_services_error(browser, rep):
    response = browser.post(
        reverse("customers:contact_create"), {"first_name": "Anon", "owner": rep.pk}, **HTMX
    )

    assert response.status_code == 422
    assert "A contact needs a last name or an e-mail address." in page_text(response)
    assert Contact.objects.count() == 0


def test_create_contact_with_typed_but_unpicked_organization_is_refused(browser, rep):
    response = browser.post(
        reverse("customers:contact_create"),
        {"last_name": "Typed", "organization": "", "organization_search": "Acme", "owner": rep.pk},
        **HTMX,
    )

    assert response.status_code == 422
    assert "Choose one of the suggested organizations" in page_text(response)
    assert 'value="Acme"' in page_text(response)
    assert Contact.objects.count() == 0


def test_create_contact_at_an_invisible_organization_is_refused(browser, rep, other_rep):
    hidden = OrganizationFactory(owner=other_rep)

    response = browser.post(
        reverse("customers:contact_create"),
        {"last_name": "Sneaky", "organization": hidden.pk, "owner": rep.pk},
        **HTMX,
    )

    assert response.status_code == 422
    assert "This organization does not exist or you may not see it." in page_text(response)
    assert Contact.objects.count() == 0


def test_contact_create_starts_with_the_organization_given(browser, rep):
    organization = OrganizationFactory(name="Preset Org", owner=rep)

    text = page_text(
        browser.get(reverse("customers:contact_create"), {"organization": organization.pk})
    )

    assert 'value="Preset Org"' in text
    assert f'name="organization" id="id_organization" value="{organization.pk}"' in text
    assert '<label class="form-label" for="id_organization_search">Organization' in text


def test_edit_contact_changes_it(browser, rep):
    contact = ContactFactory(last_name="Before", owner=rep, organization__owner=rep)
    new_organization = OrganizationFactory(owner=rep)

    response = browser.post(
        reverse("customers:contact_edit", args=[contact.pk]),
        {
            "last_name": "After",
            "job_title": "CEO",
            "organization": new_organization.pk,
            "owner": rep.pk,
            "seen": seen_of(ContactForm, contact),
        },
        **HTMX,
    )

    assert response.status_code == 204
    contact.refresh_from_db()
    assert contact.last_name == "After"
    assert contact.job_title == "CEO"
    assert contact.organization == new_organization


def test_edit_contact_can_clear_the_organization(browser, rep):
    contact = ContactFactory(last_name="Loose", owner=rep, organization__owner=rep)

    browser.post(
        reverse("customers:contact_edit", args=[contact.pk]),
        {"last_name": "Loose", "organization": "", "organization_search": "", "owner": rep.pk,
         "seen": seen_of(ContactForm, contact)},
    )  # fmt: skip

    contact.refresh_from_db()
    assert contact.organization is None


def test_manager_may_leave_a_record_without_owner(client_for, team):
    manager = ManagerFactory(team=team)
    browser = client_for(manager)

    response = browser.post(
        reverse("customers:organization_create"),
        {"name": "Unowned", "lifecycle": "prospect", "owner": ""},
    )

    assert response.status_code == 303
    assert Organization.objects.get().owner is None


# --- organization suggestions -------------------------------------------------------------


def test_suggestions_offer_visible_matches_only_and_at_most_twenty(browser, rep, other_rep):
    for number in range(25):
        OrganizationFactory(name=f"Match {number:02d}", owner=rep)
    OrganizationFactory(name="Match Hidden", owner=other_rep)
    OrganizationFactory(name="Other Name", owner=rep)

    response = browser.get(
        reverse("customers:organization_suggestions"), {"organization_search": "mat"}, **HTMX
    )

    text = page_text(response)
    names = re.findall(r'data-organization-name="([^"]+)"', text)
    assert len(names) == 20
    assert names == sorted(names)
    assert "Match 24" in names  # the most recently changed come first
    assert "Match Hidden" not in text
    assert "Other Name" not in text
    # Typing again forgets the organization picked before.
    assert 'id="id_organization" value="" data-picker-value hx-swap-oob="true"' in text


def test_suggestions_say_when_nothing_matches(browser):
    response = browser.get(reverse("customers:organization_suggestions"), {"q": "zzz"})

    assert "No organization starts with “zzz”." in page_text(response)


def test_edit_without_what_the_user_saw_says_to_reload(browser, rep):
    organization = OrganizationFactory(name="Versioned", owner=rep)
    data = edit_data(organization, name="Changed")
    del data["seen"]

    response = browser.post(reverse("customers:organization_edit", args=[organization.pk]), data)

    assert response.status_code == 422
    assert "The form is missing the record it edits; reload the page." in page_text(response)
    organization.refresh_from_db()
    assert organization.name == "Versioned"


def test_every_input_is_styled_and_labelled(browser):
    text = page_text(browser.get(reverse("customers:contact_create")))

    assert 'class="form-select" id="id_owner"' in text
    assert 'class="form-control" aria-describedby="id_organization_helptext"' in text
    assert 'for="id_organization_search"' in text


@pytest.mark.parametrize(
    "url_name, query",
    [
        ("customers:organization_list", {"owner": "9" * 25}),
        ("customers:contact_list", {"owner": "9" * 25, "organization": "9" * 25}),
        ("customers:contact_create", {"organization": "9" * 25}),
        ("customers:organization_list", {"country": "XX", "lifecycle": "nonsense"}),
    ],
)
def test_nonsense_in_the_query_string_is_no_server_error(browser, url_name, query):
    assert browser.get(reverse(url_name), query).status_code == 200


def test_nonsense_organization_id_is_a_field_error(browser, rep):
    response = browser.post(
        reverse("customers:contact_create"),
        {"last_name": "Huge", "organization": "9" * 25, "owner": rep.pk},
    )

    assert response.status_code == 422
    assert "This organization does not exist or you may not see it." in page_text(response)


def test_forged_cursor_with_a_huge_id_shows_the_first_page(browser, rep):
    import base64
    import json

    OrganizationFactory(name="Still Listed", owner=rep)
    raw = json.dumps(["name", "A", 10**30]).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")

    response = browser.get(reverse("customers:organization_list"), {"cursor": cursor})

    assert response.status_code == 200
    assert "Still Listed" in page_text(response)


def test_phone_numbers_are_written_for_reading(browser, rep):
    organization = OrganizationFactory(owner=rep, phone="+4732005325")
    contact = ContactFactory(organization=organization, owner=rep, phone="+4732064414")
    detail = browser.get(f"/organizations/{organization.pk}/").content.decode()
    assert "+47 32 00 53 25" in detail and "+47 32 06 44 14" in detail
    assert 'href="tel:+4732005325"' in detail
    assert "+47 32 06 44 14" in browser.get(f"/contacts/{contact.pk}/").content.decode()
