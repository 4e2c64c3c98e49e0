"""The pipeline board: columns with their totals, lazily loaded cards, and stage moves."""

import datetime
import re
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
    OpportunityFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
    default_pipeline,
    stage_named,
)
from vorsprung.customers.choices import Lifecycle
from vorsprung.history.models import Change
from vorsprung.sales.models import Opportunity
from vorsprung.sales.services import (
    opportunity_mark_lost,
    opportunity_mark_won,
    pipeline_create,
    pipeline_update,
)

BOARD_URL = reverse("sales:board")
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def opportunity(rep):
    return OpportunityFactory(
        name="Fleet renewal",
        organization=OrganizationFactory(name="Nordwind GmbH", owner=rep),
        owner=rep,
        stage=stage_named("Proposal"),
        amount=Decimal("12000"),
    )


@pytest.fixture
def partners(rep):
    return pipeline_create(
        actor=None,
        name="Partners",
        stages=[
            {"name": "Intro", "probability": 5, "forecast_category": "pipeline"},
            {"name": "Signed", "probability": 100, "forecast_category": "closed", "is_won": True},
            {"name": "Dropped", "probability": 0, "forecast_category": "omitted", "is_lost": True},
        ],
    )


def column_url(stage, **params) -> str:
    return reverse("sales:board_column", args=[stage.pk]) + (
        "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
    )


def columns(page: str, client) -> list[dict]:
    """Each column's name, count and sum as the board shows them once its columns have
    loaded: the board page names the columns, each column's own request brings its
    count and sum (swapped into the header out of band)."""
    found = []
    for chunk in page.split('data-testid="board-column"')[1:]:
        url = re.search(r'hx-get="([^"]+)"', chunk).group(1).replace("&amp;", "&")
        loaded = client.get(url).content.decode()
        totals = loaded.split('hx-swap-oob="true"')[1]
        found.append(
            {
                "name": re.search(r'id="column-title-\d+">([^<]+)', chunk).group(1).strip(),
                "count": int(re.search(r'data-count="(\d+)"', totals).group(1)),
                "sum": re.search(r'class="column-sum"[^>]*>([^<]*)<', totals).group(1),
                "closed_note": "closed in the last 90 days" in chunk.split("</header>")[0],
            }
        )
    return found


def card_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-opportunity-id="(\d+)"', response.content.decode())]


def move(client, opportunity, stage, headers=JSON, query="", **data):
    url = reverse("sales:opportunity_stage", args=[opportunity.pk]) + query
    return client.post(url, {"stage": stage.pk, **data}, **headers)


# The board page ------------------------------------------------------------------------------


def test_board_has_a_column_per_stage_with_count_and_sum(client_for, rep, teammate, stranger):
    OpportunityFactory(organization__owner=rep, stage=stage_named("Proposal"), amount=1000)
    OpportunityFactory(organization__owner=teammate, stage=stage_named("Proposal"), amount=2500)
    OpportunityFactory(organization__owner=stranger, stage=stage_named("Proposal"), amount=99)
    OpportunityFactory(
        organization__owner=rep, stage=stage_named("Proposal"), amount=500, currency="USD"
    )
    won = OpportunityFactory(organization__owner=rep, amount=7000)
    opportunity_mark_won(actor=rep, opportunity=won)
    old_loss = OpportunityFactory(organization__owner=rep, amount=3000)
    opportunity_mark_lost(actor=rep, opportunity=old_loss, reason="Price")
    Opportunity.objects.filter(pk=old_loss.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=91)
    )
    client = client_for(rep)
    response = client.get(BOARD_URL)
    assert response.status_code == 200
    found = columns(response.content.decode(), client)
    assert [c["name"] for c in found] == [
        "Qualification",
        "Needs analysis",
        "Proposal",
        "Negotiation",
        "Closed won",
        "Closed lost",
    ]
    by_name = {c["name"]: c for c in found}
    assert by_name["Proposal"]["count"] == 3
    assert by_name["Proposal"]["sum"] == "€3,500 · US$500"
    assert by_name["Qualification"]["count"] == 0
    assert by_name["Qualification"]["sum"] == "€0"
    assert by_name["Closed won"]["count"] == 1 and by_name["Closed won"]["sum"] == "€7,000"
    # The loss closed 91 days ago is no longer on the board, and the header says why.
    assert by_name["Closed lost"]["count"] == 0
    assert by_name["Closed won"]["closed_note"] and by_name["Closed lost"]["closed_note"]
    assert not by_name["Proposal"]["closed_note"]


def test_columns_load_their_cards_lazily(client_for, rep, opportunity):
    page = client_for(rep).get(BOARD_URL).content.decode()
    proposal = stage_named("Proposal")
    assert f'hx-get="{column_url(proposal)}" hx-trigger="load"' in page
    assert 'data-opportunity-id="' not in page  # no card on the page itself
    assert "vendor/sortable/Sortable.min.js" in page and "sales/board.js" in page
    assert 'data-testid="lost-dialog"' in page and "Went with a competitor" in page


def test_board_shows_one_pipeline_at_a_time(client_for, rep, partners):
    client = client_for(rep)
    page = client.get(BOARD_URL).content.decode()
    # the default pipeline first
    assert columns(page, client)[0]["name"] == "Qualification"
    assert f'<option value="{partners.pk}">Partners</option>' in page
    page = client.get(BOARD_URL, {"pipeline": partners.pk}).content.decode()
    assert [c["name"] for c in columns(page, client)] == ["Intro", "Signed", "Dropped"]
    pipeline_update(actor=None, pipeline=partners, is_active=False)
    page = client.get(BOARD_URL, {"pipeline": partners.pk}).content.decode()
    assert "Partners" not in page
    assert [c["name"] for c in columns(page, client)][0] == "Qualification"


def test_board_filters_by_owner_and_team(client_for, rep, teammate):
    other_team = TeamFactory(name="West")
    manager = UserFactory(role="manager", team=rep.team)
    other_team.manager = manager
    other_team.save()
    west_rep = UserFactory(team=other_team)
    for owner, amount in ((rep, 100), (teammate, 200), (west_rep, 400)):
        OpportunityFactory(organization__owner=owner, stage=stage_named("Proposal"), amount=amount)
    client = client_for(manager)

    def proposal(**params):
        page = client.get(BOARD_URL, params).content.decode()
        return next(c for c in columns(page, client) if c["name"] == "Proposal")

    assert proposal()["count"] == 3
    assert proposal(owner=teammate.pk)["sum"] == "€200"
    assert proposal(team=other_team.pk)["sum"] == "€400"
    # The filter goes on to the columns' card requests.
    page = client.get(BOARD_URL, {"team": other_team.pk}).content.decode()
    assert column_url(stage_named("Proposal"), team=other_team.pk) in page
    cards = client.get(column_url(stage_named("Proposal"), team=other_team.pk))
    assert len(card_ids(cards)) == 1
    # A rep is offered only their own team.
    page = client_for(rep).get(BOARD_URL).content.decode()
    assert "West" not in page and "Nord" in page


def test_board_page_query_count_does_not_grow(client_for, rep, django_assert_num_queries):
    client = client_for(rep)
    stages = [stage_named(n) for n in ("Qualification", "Proposal", "Negotiation")]
    for stage in stages:
        OpportunityFactory(organization__owner=rep, stage=stage)
    with CaptureQueriesContext(connection) as queries:
        client.get(BOARD_URL)
    for index in range(27):
        OpportunityFactory(organization__owner=rep, stage=stages[index % 3])
    won = OpportunityFactory(organization__owner=rep)
    opportunity_mark_won(actor=rep, opportunity=won)
    with django_assert_num_queries(len(queries)):
        response = client.get(BOARD_URL)
    assert sum(c["count"] for c in columns(response.content.decode(), client)) == 31


# A column's cards ---------------------------------------------------------------------------


def test_a_column_shows_cards_with_name_organization_amount_date_owner(
    client_for, rep, opportunity
):
    response = client_for(rep).get(column_url(stage_named("Proposal")))
    body = response.content.decode()
    assert card_ids(response) == [opportunity.pk]
    assert 'data-testid="opportunity-card"' in body
    assert reverse("sales:opportunity_detail", args=[opportunity.pk]) in body
    assert "Nordwind GmbH" in body and "€12,000" in body and "Rita Rep" in body
    assert opportunity.expected_close_date.strftime("%d/%m/%Y") in body
    # The keyboard way: a labelled "Move to" select in a form posting to the stage URL.
    assert f'action="{reverse("sales:opportunity_stage", args=[opportunity.pk])}"' in body
    assert f'<label class="visually-hidden" for="move-{opportunity.pk}">' in body
    assert f'<option value="{stage_named("Proposal").pk}" selected>' in body


def test_a_column_pages_50_cards_at_a_time(client_for, rep):
    start = timezone.localdate()
    for day in range(53):
        OpportunityFactory(
            organization__owner=rep,
            stage=stage_named("Needs analysis"),
            expected_close_date=start + datetime.timedelta(days=day),
        )
    client = client_for(rep)
    first = client.get(column_url(stage_named("Needs analysis")))
    assert len(card_ids(first)) == 50
    more = re.search(r'data-testid="load-more"\s+hx-get="([^"]+)"', first.content.decode())
    assert more, "a Load more button"
    second = client.get(more.group(1).replace("&amp;", "&"))
    assert len(card_ids(second)) == 3
    assert not set(card_ids(first)) & set(card_ids(second))
    assert 'data-testid="load-more"' not in second.content.decode()


def test_closed_columns_show_recently_closed_ones_only(client_for, rep):
    recent, old = (OpportunityFactory(organization__owner=rep) for _ in range(2))
    for opportunity in (recent, old):
        opportunity_mark_won(actor=rep, opportunity=opportunity)
    Opportunity.objects.filter(pk=old.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=120)
    )
    response = client_for(rep).get(column_url(stage_named("Closed won")))
    assert card_ids(response) == [recent.pk]


def test_a_column_shows_visible_opportunities_only(client_for, rep, stranger, opportunity):
    OpportunityFactory(organization__owner=stranger, stage=stage_named("Proposal"))
    assert card_ids(client_for(rep).get(column_url(stage_named("Proposal")))) == [opportunity.pk]


def test_a_column_of_an_unknown_stage_is_404_and_a_bad_cursor_is_said(client_for, rep, partners):
    client = client_for(rep)
    assert client.get(reverse("sales:board_column", args=[999999])).status_code == 404
    pipeline_update(actor=None, pipeline=partners, is_active=False)
    intro = partners.stages.get(name="Intro")
    assert client.get(column_url(intro)).status_code == 404
    response = client.get(column_url(stage_named("Proposal"), cursor="nonsense"))
    assert response.status_code == 400
    assert "cursor is not valid" in unquote(response["X-Error-Message"])


def test_column_query_count_does_not_grow(client_for, rep, django_assert_num_queries):
    client = client_for(rep)
    stage = stage_named("Negotiation")
    for _ in range(3):
        OpportunityFactory(organization__owner=rep, stage=stage)
    with CaptureQueriesContext(connection) as queries:
        client.get(column_url(stage))
    for _ in range(27):
        OpportunityFactory(organization__owner=UserFactory(team=rep.team), stage=stage)
    with django_assert_num_queries(len(queries)):
        response = client.get(column_url(stage))
    assert len(card_ids(response)) == 30
    # A closed column too.
    admin = AdminFactory()
    client = client_for(admin)
    won = stage_named("Closed won")
    with CaptureQueriesContext(connection) as queries:
        client.get(column_url(won))
    for opportunity in Opportunity.objects.all()[:30]:
        opportunity_mark_won(actor=admin, opportunity=opportunity)
    with django_assert_num_queries(len(queries)):
        response = client.get(column_url(won))
    assert len(card_ids(response)) == 30


# Moving cards ------------------------------------------------------------------------------


def test_moving_changes_the_stage_records_history_and_returns_both_columns(
    client_for, rep, opportunity
):
    OpportunityFactory(organization__owner=rep, stage=stage_named("Negotiation"), amount=500)
    proposal, negotiation = stage_named("Proposal"), stage_named("Negotiation")
    response = move(client_for(rep), opportunity, negotiation)
    assert response.status_code == 200
    data = response.json()
    assert data["stage"] == negotiation.pk and data["previous_stage"] == proposal.pk
    assert data["columns"][str(proposal.pk)] == {"count": 0, "count_text": "0", "sum_text": "€0"}
    assert data["columns"][str(negotiation.pk)] == {
        "count": 2,
        "count_text": "2",
        "sum_text": "€12,500",
    }
    assert data["message"] == "Moved “Fleet renewal” to Negotiation."
    opportunity.refresh_from_db()
    assert opportunity.stage == negotiation
    history = Change.objects.get(
        record_type="opportunity", record_id=opportunity.pk, field="stage", new_label="Negotiation"
    )
    assert history.old_label == "Proposal" and history.actor == rep


def test_column_totals_after_a_move_follow_the_board_filters(
    client_for, rep, teammate, opportunity
):
    OpportunityFactory(organization__owner=teammate, stage=stage_named("Negotiation"), amount=700)
    negotiation = stage_named("Negotiation")
    response = move(client_for(rep), opportunity, negotiation, query=f"?owner={rep.pk}")
    assert response.json()["columns"][str(negotiation.pk)]["count"] == 1


def test_moving_to_lost_needs_a_reason(client_for, rep, opportunity):
    client = client_for(rep)
    lost = stage_named("Closed lost")
    response = move(client, opportunity, lost)
    assert response.status_code == 400
    assert unquote(response["X-Error-Message"]) == "Say why the opportunity was lost."
    assert response.content.decode() == "Say why the opportunity was lost."
    opportunity.refresh_from_db()
    assert opportunity.stage.name == "Proposal" and not opportunity.is_closed
    response = move(client, opportunity, lost, reason="Timing", reason_other="Next year")
    assert response.status_code == 200
    assert response.json()["columns"][str(lost.pk)]["count"] == 1
    opportunity.refresh_from_db()
    assert opportunity.is_closed and opportunity.lost_reason == "Timing: Next year"


def test_moving_to_won_makes_the_organization_a_customer(client_for, rep, opportunity):
    response = move(client_for(rep), opportunity, stage_named("Closed won"))
    assert response.status_code == 200
    opportunity.refresh_from_db()
    assert opportunity.is_won
    opportunity.organization.refresh_from_db()
    assert opportunity.organization.lifecycle == Lifecycle.CUSTOMER


def test_a_rep_cannot_move_another_team_s_opportunity(client_for, stranger, opportunity):
    response = move(client_for(stranger), opportunity, stage_named("Negotiation"))
    assert response.status_code == 404
    assert unquote(response["X-Error-Message"]) == (
        "This opportunity was deleted or moved out of your sight; reload the board."
    )
    opportunity.refresh_from_db()
    assert opportunity.stage.name == "Proposal"


def test_a_move_without_csrf_token_is_refused(rep, opportunity):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    response = move(client, opportunity, stage_named("Negotiation"))
    assert response.status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.stage.name == "Proposal"


def test_a_move_with_the_csrf_header_is_accepted(rep, opportunity):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    page = client.get(BOARD_URL).content.decode()
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = move(
        client, opportunity, stage_named("Negotiation"), headers={**JSON, "HTTP_X_CSRFTOKEN": token}
    )
    assert response.status_code == 200


def test_a_stage_of_another_pipeline_is_refused(client_for, rep, opportunity, partners):
    response = move(client_for(rep), opportunity, partners.stages.get(name="Intro"))
    assert response.status_code == 400
    assert unquote(response["X-Error-Message"]) == "Stage “Intro” belongs to another pipeline."
    opportunity.refresh_from_db()
    assert opportunity.stage.name == "Proposal"


def test_an_unknown_stage_is_refused(client_for, rep, opportunity):
    url = reverse("sales:opportunity_stage", args=[opportunity.pk])
    response = client_for(rep).post(url, {"stage": 987654}, **JSON)
    assert response.status_code == 400
    assert unquote(response["X-Error-Message"]) == "This stage does not exist."


def test_the_move_form_works_without_scripts(client_for, rep, opportunity):
    client = client_for(rep)
    board = f"{BOARD_URL}?pipeline={default_pipeline().pk}"
    response = move(client, opportunity, stage_named("Negotiation"), headers={}, next=board)
    assert response.status_code == 303 and response["Location"] == board
    opportunity.refresh_from_db()
    assert opportunity.stage.name == "Negotiation"
    # A refusal comes back as a message on the board; a foreign "next" is ignored.
    response = move(
        client, opportunity, stage_named("Closed lost"), headers={}, next="https://evil.example/"
    )
    detail = reverse("sales:opportunity_detail", args=[opportunity.pk])
    assert response["Location"] == detail
    assert "Say why the opportunity was lost." in client.get(detail).content.decode()


def test_the_board_page_sums_nothing_its_columns_do(client_for, rep):
    """The board page only names the columns; each column's first request brings its
    count and sum, so a board with many deals opens at once."""
    client = client_for(rep)
    OpportunityFactory(organization__owner=rep, stage=stage_named("Proposal"), amount=800)
    page = client.get(BOARD_URL).content.decode()
    assert page.count('data-count=""') == 6
    proposal = client.get(column_url(stage_named("Proposal"))).content.decode()
    assert 'id="column-totals-' in proposal and 'hx-swap-oob="true"' in proposal
    assert 'data-count="1"' in proposal and "€800" in proposal


def test_no_move_within_a_deactivated_pipeline(client_for, rep, partners):
    opportunity = OpportunityFactory(
        organization=OrganizationFactory(owner=rep),
        owner=rep,
        pipeline=partners,
        stage=partners.stages.get(name="Intro"),
    )
    pipeline_update(actor=None, pipeline=partners, is_active=False)

    response = move(client_for(rep), opportunity, partners.stages.get(name="Signed"))

    assert response.status_code == 400
    assert (
        unquote(response["X-Error-Message"])
        == "Stage “Signed” belongs to the deactivated pipeline “Partners”."
    )
    opportunity.refresh_from_db()
    assert opportunity.stage.name == "Intro"
