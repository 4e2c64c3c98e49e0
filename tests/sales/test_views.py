"""The opportunity pages: list, detail, create, edit, won and lost."""

import datetime
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AdminFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
    UserFactory,
    default_pipeline,
    stage_named,
)
from tests.pages import seen_field
from vorsprung.customers.choices import Lifecycle
from vorsprung.history.models import Change
from vorsprung.sales.choices import ContactRole
from vorsprung.sales.forms import OpportunityEditForm
from vorsprung.sales.models import Opportunity, OpportunityContactRole
from vorsprung.sales.services import opportunity_mark_lost, pipeline_create

LIST_URL = reverse("sales:opportunity_list")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def organization(rep):
    return OrganizationFactory(name="Nordwind GmbH", owner=rep, city="Hamburg")


@pytest.fixture
def opportunity(rep, organization):
    return OpportunityFactory(
        name="Fleet renewal",
        organization=organization,
        owner=rep,
        amount=Decimal("12000"),
        stage=stage_named("Proposal"),
        probability=50,
    )


def seen_of(opportunity) -> str:
    """What the edit page's form carries of ``opportunity`` as it is now."""
    return OpportunityEditForm(user=opportunity.owner, opportunity=opportunity).initial["seen"]


def names(response) -> list[str]:
    return [o.name for o in response.context["page"].items]


def queries_for(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(queries)


# List ---------------------------------------------------------------------------------


def test_list_shows_the_team_s_opportunities_only(client_for, rep, teammate, stranger):
    OpportunityFactory(name="Mine", organization__owner=rep)
    OpportunityFactory(name="Teammate's", organization__owner=teammate)
    OpportunityFactory(name="Other team's", organization__owner=stranger)
    response = client_for(rep).get(LIST_URL)
    assert response.status_code == 200
    assert set(names(response)) == {"Mine", "Teammate's"}
    assert "Other team&#x27;s" not in response.content.decode()


def test_list_row_shows_stage_amounts_close_date_and_links(client_for, rep, opportunity):
    overdue = OpportunityFactory(
        name="Late deal",
        organization__owner=rep,
        expected_close_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    page = client_for(rep).get(LIST_URL).content.decode()
    assert reverse("customers:organization_detail", args=[opportunity.organization_id]) in page
    assert reverse("sales:opportunity_detail", args=[opportunity.pk]) in page
    assert "Proposal" in page
    assert "€12,000" in page  # amount
    assert "€6,000" in page  # weighted: 50 %
    row = page.split(f'data-opportunity-id="{overdue.pk}"')[1].split("</tr>")[0]
    assert "overdue" in row
    assert "Rita Rep" in page


def test_list_filters(client_for, rep, teammate):
    today = timezone.localdate()
    OpportunityFactory(
        name="Alpha proposal",
        organization__owner=rep,
        stage=stage_named("Proposal"),
        expected_close_date=today + datetime.timedelta(days=5),
    )
    OpportunityFactory(
        name="Beta early",
        organization__owner=teammate,
        expected_close_date=today + datetime.timedelta(days=60),
    )
    won = OpportunityFactory(name="Gamma won", organization__owner=rep)
    lost = OpportunityFactory(name="Delta lost", organization__owner=rep)
    from vorsprung.sales.services import opportunity_mark_won

    opportunity_mark_won(actor=rep, opportunity=won)
    opportunity_mark_lost(actor=rep, opportunity=lost, reason="Price")
    client = client_for(rep)

    def shown(**params):
        return set(names(client.get(LIST_URL, params)))

    assert shown() == {"Alpha proposal", "Beta early"}  # open ones by default
    assert shown(status="won") == {"Gamma won"}
    assert shown(status="lost") == {"Delta lost"}
    assert shown(status="all") == {"Alpha proposal", "Beta early", "Gamma won", "Delta lost"}
    assert shown(stage=stage_named("Proposal").pk) == {"Alpha proposal"}
    assert shown(owner=teammate.pk) == {"Beta early"}
    assert shown(pipeline=default_pipeline().pk) == {"Alpha proposal", "Beta early"}
    assert shown(close_before=(today + datetime.timedelta(days=10)).isoformat()) == {
        "Alpha proposal"
    }
    assert shown(close_after=(today + datetime.timedelta(days=10)).isoformat()) == {"Beta early"}
    assert shown(q="bet") == {"Beta early"}


def test_list_sorting(client_for, rep):
    today = timezone.localdate()
    for name, days in (("Later", 20), ("Soon", 2), ("Middle", 10)):
        OpportunityFactory(
            name=name,
            organization__owner=rep,
            expected_close_date=today + datetime.timedelta(days=days),
        )
    client = client_for(rep)
    assert names(client.get(LIST_URL)) == ["Soon", "Middle", "Later"]
    assert names(client.get(LIST_URL, {"sort": "-expected_close_date"})) == [
        "Later",
        "Middle",
        "Soon",
    ]
    assert names(client.get(LIST_URL, {"sort": "-created_at"})) == ["Middle", "Soon", "Later"]


def test_an_unknown_filter_value_is_left_out_and_said(client_for, rep, opportunity):
    response = client_for(rep).get(LIST_URL, {"close_after": "soon", "sort": "amount"})
    assert names(response) == ["Fleet renewal"]
    assert "Some filters were not understood" in response.content.decode()


def test_list_pages_with_a_cursor(client_for, rep):
    start = timezone.localdate()
    for day in range(55):
        OpportunityFactory(
            name=f"Deal {day:02}",
            organization__owner=rep,
            expected_close_date=start + datetime.timedelta(days=day),
        )
    client = client_for(rep)
    first = client.get(LIST_URL)
    assert names(first) == [f"Deal {day:02}" for day in range(50)]
    cursor = first.context["page"].next_cursor
    assert f"cursor={cursor}" in first.content.decode()
    second = client.get(LIST_URL, {"cursor": cursor})
    assert names(second) == [f"Deal {day:02}" for day in range(50, 55)]
    assert second.context["page"].next_cursor is None
    assert "First page" in second.content.decode()


def test_a_bad_cursor_shows_a_message_and_the_first_page(client_for, rep, opportunity):
    response = client_for(rep).get(LIST_URL, {"cursor": "garbage"})
    assert response.status_code == 200
    assert names(response) == ["Fleet renewal"]
    assert "This cursor is not valid" in response.content.decode()


def test_htmx_filter_request_gets_the_table_only(client_for, rep, opportunity):
    response = client_for(rep).get(LIST_URL, {"q": "Fleet"}, **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="opportunity-table"')
    assert "<html" not in body
    assert "Fleet renewal" in body


def test_list_query_count_does_not_grow_with_rows(client_for, rep, django_assert_num_queries):
    admin = AdminFactory()
    client = client_for(admin)
    for _ in range(3):
        OpportunityFactory(organization__owner=rep)
    expected = queries_for(client, LIST_URL)
    for _ in range(27):
        OpportunityFactory(organization__owner=UserFactory())
    with django_assert_num_queries(expected):
        response = client.get(LIST_URL)
    assert len(response.context["page"].items) == 30
    # The same for a rep (visibility) and an htmx partial.
    client = client_for(rep)
    expected = queries_for(client, LIST_URL, **HTMX)
    for _ in range(27):
        OpportunityFactory(organization__owner=rep)
    with django_assert_num_queries(expected):
        client.get(LIST_URL, **HTMX)


# Detail -------------------------------------------------------------------------------


def test_detail_shows_fields_stage_path_contacts_lead_and_timeline(client_for, rep, opportunity):
    contact = ContactFactory(
        first_name="Carla", last_name="Käufer", organization=opportunity.organization, owner=rep
    )
    OpportunityContactRole.objects.create(
        opportunity=opportunity, contact=contact, role=ContactRole.DECISION_MAKER
    )
    lead = LeadFactory(first_name="Lena", last_name="Lead", owner=rep)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        source_lead=lead, source="referral", next_step="Send the offer"
    )
    response = client_for(rep).get(reverse("sales:opportunity_detail", args=[opportunity.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fleet renewal" in page
    assert "Send the offer" in page
    assert "Referral" in page
    assert "Carla Käufer" in page and "Decision maker" in page
    assert reverse("leads:detail", args=[lead.pk]) in page
    assert 'data-testid="timeline-panel"' in page
    path = page.split('data-testid="stage-path"')[1].split("</ol>")[0]
    steps = ("Qualification", "Needs analysis", "Proposal", "Negotiation", "Closed won")
    assert sorted(steps, key=path.index) == list(steps)
    assert 'aria-current="step">Proposal' in path
    # Open stages other than the current one are buttons that move the opportunity.
    assert f'value="{stage_named("Negotiation").pk}"' in path
    assert "Mark won" in page and "Mark lost" in page


def test_detail_of_another_team_s_opportunity_is_404(client_for, stranger, opportunity):
    response = client_for(stranger).get(reverse("sales:opportunity_detail", args=[opportunity.pk]))
    assert response.status_code == 404


def test_detail_moves_to_an_open_stage(client_for, rep, opportunity):
    url = reverse("sales:opportunity_stage", args=[opportunity.pk])
    response = client_for(rep).post(url, {"stage": stage_named("Negotiation").pk}, **HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("sales:opportunity_detail", args=[opportunity.pk])
    opportunity.refresh_from_db()
    assert opportunity.stage.name == "Negotiation"


# Won and lost ------------------------------------------------------------------------------


def test_mark_won_makes_the_organization_a_customer(client_for, rep, opportunity):
    response = client_for(rep).post(reverse("sales:opportunity_won", args=[opportunity.pk]), **HTMX)
    assert response.status_code == 204
    opportunity.refresh_from_db()
    assert opportunity.is_won and opportunity.stage.name == "Closed won"
    opportunity.organization.refresh_from_db()
    assert opportunity.organization.lifecycle == Lifecycle.CUSTOMER


def test_mark_won_twice_is_refused_with_the_message(client_for, rep, opportunity):
    client = client_for(rep)
    url = reverse("sales:opportunity_won", args=[opportunity.pk])
    client.post(url, **HTMX)
    response = client.post(url, **HTMX)
    assert response.status_code == 409
    assert "already closed won" in response.content.decode()


def test_mark_lost_without_a_reason_shows_the_service_s_message(client_for, rep, opportunity):
    url = reverse("sales:opportunity_lost", args=[opportunity.pk])
    response = client_for(rep).post(url, {"reason": "", "reason_other": ""}, **HTMX)
    assert response.status_code == 422
    assert "Say why the opportunity was lost." in response.content.decode()
    opportunity.refresh_from_db()
    assert not opportunity.is_closed


def test_mark_lost_with_a_reason_from_the_list_and_details(client_for, rep, opportunity):
    url = reverse("sales:opportunity_lost", args=[opportunity.pk])
    client = client_for(rep)
    dialog = client.get(url).content.decode()
    assert "Went with a competitor" in dialog  # the pick list
    response = client.post(url, {"reason": "Price", "reason_other": "20 % over budget"}, **HTMX)
    assert response.status_code == 204
    opportunity.refresh_from_db()
    assert opportunity.is_closed and not opportunity.is_won
    assert opportunity.lost_reason == "Price: 20 % over budget"
    page = client.get(reverse("sales:opportunity_detail", args=[opportunity.pk])).content
    assert "Price: 20 % over budget" in page.decode()


def test_mark_lost_with_own_words_only(client_for, rep, opportunity):
    client_for(rep).post(
        reverse("sales:opportunity_lost", args=[opportunity.pk]),
        {"reason_other": "Project cancelled"},
    )
    opportunity.refresh_from_db()
    assert opportunity.lost_reason == "Project cancelled"


def test_a_post_without_csrf_token_is_refused(rep, opportunity):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    for name in ("opportunity_won", "opportunity_lost", "opportunity_edit"):
        response = client.post(reverse(f"sales:{name}", args=[opportunity.pk]), {"reason": "Price"})
        assert response.status_code == 403
    opportunity.refresh_from_db()
    assert not opportunity.is_closed


def test_won_and_lost_of_another_team_s_opportunity_are_404(client_for, stranger, opportunity):
    client = client_for(stranger)
    for name in ("opportunity_won", "opportunity_lost", "opportunity_stage", "opportunity_edit"):
        response = client.post(
            reverse(f"sales:{name}", args=[opportunity.pk]),
            {"reason": "Price", "stage": stage_named("Closed won").pk},
        )
        assert response.status_code == 404
    opportunity.refresh_from_db()
    assert not opportunity.is_closed


# Create and edit ---------------------------------------------------------------------------


def test_create_with_an_organization_picked_by_search(client_for, rep, organization):
    client = client_for(rep)
    form = client.get(reverse("sales:opportunity_create")).content.decode()
    assert 'name="organization_q"' in form
    assert (
        "<select" not in form.split('data-testid="organization-picker"')[1].split("</fieldset>")[0]
    )
    options = client.get(reverse("sales:organization_options"), {"organization_q": "nord"})
    assert f'value="{organization.pk}"' in options.content.decode()
    response = client.post(
        reverse("sales:opportunity_create"),
        {
            "name": "Winter tyres",
            "organization": organization.pk,
            "pipeline": default_pipeline().pk,
            "amount": "5000",
            "currency": "eur",
            "expected_close_date": "2030-03-31",
            "owner": rep.pk,
            "source": "referral",
        },
        **HTMX,
    )
    assert response.status_code == 204
    opportunity = Opportunity.objects.get(name="Winter tyres")
    assert response["HX-Redirect"] == reverse("sales:opportunity_detail", args=[opportunity.pk])
    assert opportunity.organization == organization
    assert opportunity.stage.name == "Qualification"
    assert opportunity.currency == "EUR" and opportunity.amount == 5000
    assert Change.objects.filter(record_type="opportunity", record_id=opportunity.pk).exists()


def test_organization_search_offers_only_visible_organizations(client_for, rep, stranger):
    OrganizationFactory(name="Nordlicht AG", owner=stranger)
    mine = OrganizationFactory(name="Nordstern KG", owner=rep)
    page = (
        client_for(rep)
        .get(reverse("sales:organization_options"), {"organization_q": "Nord"})
        .content.decode()
    )
    assert "Nordstern KG" in page and "Nordlicht AG" not in page
    # The organization picked before stays first and checked.
    page = (
        client_for(rep)
        .get(
            reverse("sales:organization_options"),
            {"organization_q": "zzz", "organization": mine.pk},
        )
        .content.decode()
    )
    assert f'value="{mine.pk}" checked' in page
    assert "No organization starts with “zzz”" in page


def test_create_without_organization_is_refused_beside_the_field(client_for, rep, stranger):
    hidden = OrganizationFactory(name="Hidden Ltd", owner=stranger)
    response = client_for(rep).post(
        reverse("sales:opportunity_create"),
        {
            "name": "No org",
            "organization": hidden.pk,
            "currency": "EUR",
            "owner": rep.pk,
            "expected_close_date": "2030-01-01",
            "pipeline": default_pipeline().pk,
        },
        **HTMX,
    )
    assert response.status_code == 422
    assert "Choose an organization." in response.content.decode()
    assert not Opportunity.objects.filter(name="No org").exists()


def test_create_shows_the_service_s_refusal(client_for, rep, organization):
    response = client_for(rep).post(
        reverse("sales:opportunity_create"),
        {
            "name": "Odd money",
            "organization": organization.pk,
            "currency": "XYZ",
            "owner": rep.pk,
            "expected_close_date": "2030-01-01",
            "pipeline": default_pipeline().pk,
        },
        **HTMX,
    )
    assert response.status_code == 422
    assert "is not an ISO 4217 currency code" in response.content.decode()


def test_edit_changes_fields_through_the_service(client_for, rep, teammate, opportunity):
    client = client_for(rep)
    url = reverse("sales:opportunity_edit", args=[opportunity.pk])
    form = client.get(url, **HTMX).content.decode()
    assert 'name="seen"' in form and "Fleet renewal" in form
    response = client.post(
        url,
        {
            "name": "Fleet renewal 2027",
            "organization": opportunity.organization_id,
            "amount": "15000.50",
            "currency": "EUR",
            "probability": "65",
            "forecast_category": "",
            "expected_close_date": "2030-06-30",
            "owner": teammate.pk,
            "next_step": "Call the CFO",
            "seen": seen_of(opportunity),
        },
        **HTMX,
    )
    assert response.status_code == 204
    opportunity.refresh_from_db()
    assert opportunity.name == "Fleet renewal 2027"
    assert opportunity.amount == Decimal("15000.50")
    assert opportunity.probability == 65 and opportunity.probability_is_manual
    assert opportunity.owner == teammate
    assert opportunity.next_step == "Call the CFO"


def test_edit_errors_come_back_inline_with_422(client_for, rep, opportunity):
    url = reverse("sales:opportunity_edit", args=[opportunity.pk])
    response = client_for(rep).post(
        url,
        {
            "name": "",
            "organization": opportunity.organization_id,
            "currency": "EUR",
            "probability": "150",
            "expected_close_date": "2030-06-30",
            "owner": rep.pk,
            "seen": seen_of(opportunity),
        },
        **HTMX,
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert body.lstrip().startswith('<form id="opportunity-form"')
    assert "This field is required." in body
    assert "Ensure this value is less than or equal to 100." in body
    assert "is-invalid" in body


def test_edit_of_a_field_changed_meanwhile_says_so(client_for, rep, opportunity):
    url = reverse("sales:opportunity_edit", args=[opportunity.pk])
    data = {
        "name": "Mine",
        "organization": opportunity.organization_id,
        "currency": "EUR",
        "expected_close_date": "2030-06-30",
        "owner": rep.pk,
        "seen": seen_of(opportunity),
    }
    Opportunity.objects.filter(pk=opportunity.pk).update(name="Theirs")
    response = client_for(rep).post(url, data, **HTMX)
    assert response.status_code == 422
    assert "Someone else changed “Name” since you opened this form." in response.content.decode()


def test_edit_after_a_stage_move_saves(client_for, rep, opportunity):
    """A stage move changes the version and the probability that follows the stage; the
    edit form, opened before it, edits neither."""
    client = client_for(rep)
    url = reverse("sales:opportunity_edit", args=[opportunity.pk])
    seen = seen_field(client.get(url))
    client.post(
        reverse("sales:opportunity_stage", args=[opportunity.pk]),
        {"stage": stage_named("Negotiation").pk},
    )
    data = {
        "name": "Mine",
        "organization": opportunity.organization_id,
        "currency": "EUR",
        "expected_close_date": "2030-06-30",
        "owner": rep.pk,
        "seen": seen,
    }
    response = client.post(url, data)
    assert response.status_code == 303
    opportunity.refresh_from_db()
    assert (opportunity.name, opportunity.stage.name) == ("Mine", "Negotiation")


def test_edit_keeps_an_owner_the_user_may_not_assign(client_for, stranger, rep, opportunity):
    manager = UserFactory(role="manager", team=rep.team)
    Opportunity.objects.filter(pk=opportunity.pk).update(owner=manager)
    opportunity.refresh_from_db()
    url = reverse("sales:opportunity_edit", args=[opportunity.pk])
    # A teammate rep may not assign the manager, yet saving leaves the owner alone.
    form = client_for(rep).get(url).content.decode()
    assert f'value="{manager.pk}" selected' in form
    response = client_for(rep).post(
        url,
        {
            "name": "Renamed",
            "organization": opportunity.organization_id,
            "currency": "EUR",
            "expected_close_date": "2030-06-30",
            "owner": manager.pk,
            "seen": seen_of(opportunity),
        },
    )
    assert response.status_code == 303
    opportunity.refresh_from_db()
    assert opportunity.name == "Renamed" and opportunity.owner == manager


def test_a_stage_of_another_pipeline_is_refused_on_the_detail_page(client_for, rep, opportunity):
    other = pipeline_create(
        actor=None,
        name="Partners",
        stages=[
            {"name": "Intro", "probability": 5, "forecast_category": "pipeline"},
            {"name": "Signed", "probability": 100, "forecast_category": "closed", "is_won": True},
            {"name": "Dropped", "probability": 0, "forecast_category": "omitted", "is_lost": True},
        ],
    )
    client = client_for(rep)
    url = reverse("sales:opportunity_stage", args=[opportunity.pk])
    response = client.post(url, {"stage": other.stages.get(name="Intro").pk})
    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()
    assert "Stage “Intro” belongs to another pipeline." in page
    # From a script (htmx) the refusal is an alert.
    response = client.post(url, {"stage": other.stages.get(name="Intro").pk}, **HTMX)
    assert response.status_code == 400
    assert unquote(response["X-Error-Message"]) == "Stage “Intro” belongs to another pipeline."
    opportunity.refresh_from_db()
    assert opportunity.stage.name == "Proposal"


# Contact roles ------------------------------------------------------------------------


def test_a_contact_role_is_added_and_removed_on_the_opportunity_page(client_for, rep, opportunity):
    contact = ContactFactory(
        organization=opportunity.organization, owner=rep, first_name="Kari", last_name="Berg"
    )
    client = client_for(rep)
    detail = reverse("sales:opportunity_detail", args=[opportunity.pk])

    offered = client.get(detail).context["role_form"].fields["contact"].choices
    added = client.post(
        reverse("sales:opportunity_contact_role_add", args=[opportunity.pk]),
        {"contact": contact.pk, "role": "economic_buyer"},
        follow=True,
    )
    role = OpportunityContactRole.objects.get()
    removed = client.post(
        reverse("sales:opportunity_contact_role_remove", args=[opportunity.pk, role.pk]),
        follow=True,
    )

    assert list(offered)[1:] == [(contact.pk, "Kari Berg")]
    assert "Kari Berg takes part as Economic buyer." in added.content.decode()
    assert "Kari Berg no longer takes part as Economic buyer." in removed.content.decode()
    assert not OpportunityContactRole.objects.exists()
    entries = Change.objects.filter(record_type="opportunity", field="contacts")
    assert entries.count() == 2


def test_a_contact_of_another_organization_is_not_offered_nor_accepted(
    client_for, rep, opportunity
):
    stranger = ContactFactory(organization=OrganizationFactory(owner=rep), owner=rep)
    client = client_for(rep)

    page = client.get(reverse("sales:opportunity_detail", args=[opportunity.pk]))
    response = client.post(
        reverse("sales:opportunity_contact_role_add", args=[opportunity.pk]),
        {"contact": stranger.pk, "role": "user"},
        follow=True,
    )

    assert "Add contacts to the organization to give them a role here." in page.content.decode()
    assert (
        "Select a valid choice. That choice is not one of the available choices."
        in response.content.decode()
    )
    assert not OpportunityContactRole.objects.exists()


def test_roles_of_contacts_the_user_may_not_see_are_not_shown(
    client_for, rep, stranger, opportunity
):
    hidden = ContactFactory(
        organization=opportunity.organization, owner=stranger, last_name="Verborgen"
    )
    role = OpportunityContactRole.objects.create(
        opportunity=opportunity, contact=hidden, role="user"
    )
    client = client_for(rep)

    page = client.get(reverse("sales:opportunity_detail", args=[opportunity.pk]))
    removed = client.post(
        reverse("sales:opportunity_contact_role_remove", args=[opportunity.pk, role.pk])
    )

    assert "Verborgen" not in page.content.decode()
    assert removed.status_code == 404
    assert OpportunityContactRole.objects.filter(pk=role.pk).exists()
