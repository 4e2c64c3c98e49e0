"""Money in several currencies is never added up: my day's pipeline shows each currency's
sum, and a converted total only where administrators entered rates for every currency."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.api.helpers import Api
from tests.factories import (
    AdminFactory,
    OpportunityFactory,
    OrganizationFactory,
    UserFactory,
    stage_named,
)
from tests.pages import page_text
from vorsprung.core.errors import NotAllowed, ValidationError
from vorsprung.sales.models import ExchangeRate
from vorsprung.sales.rates import exchange_rate_create, rates_on
from vorsprung.workspace.selectors import pipeline_summary

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.VORSPRUNG_DEFAULT_CURRENCY = "EUR"


@pytest.fixture
def admin():
    return AdminFactory()


@pytest.fixture
def rep():
    return UserFactory()


def deal(owner, amount, currency, stage="Proposal", probability=50):
    return OpportunityFactory(
        organization=OrganizationFactory(owner=owner),
        owner=owner,
        stage=stage_named(stage),
        probability=probability,
        amount=Decimal(amount),
        currency=currency,
    )


def test_the_summary_never_adds_currencies(rep):
    deal(rep, 1000, "EUR")
    deal(rep, 2000, "GBP")
    deal(rep, 3000, "GBP")
    deal(rep, 10_000, "NOK", stage="Negotiation", probability=75)
    summary = pipeline_summary(user=rep)
    proposal = next(s for s in summary.stages if s.stage.name == "Proposal")
    assert proposal.money.amounts == [("EUR", Decimal(1000)), ("GBP", Decimal(5000))]
    assert proposal.money.converted is None
    assert summary.money.amounts == [
        ("EUR", Decimal(1000)),
        ("GBP", Decimal(5000)),
        ("NOK", Decimal(10_000)),
    ]
    assert summary.money.weighted == [
        ("EUR", Decimal(500)),
        ("GBP", Decimal(2500)),
        ("NOK", Decimal(7500)),
    ]
    assert summary.money.converted is None


def test_a_converted_total_only_when_every_currency_has_a_rate(admin, rep):
    deal(rep, 1000, "EUR")
    deal(rep, 2000, "GBP")
    deal(rep, 10_000, "NOK")
    exchange_rate_create(actor=admin, currency="GBP", rate="1.15", valid_from=JAN)
    assert pipeline_summary(user=rep).money.converted is None
    exchange_rate_create(actor=admin, currency="NOK", rate="0.085", valid_from=JAN)
    exchange_rate_create(
        actor=admin, currency="NOK", rate="0.09", valid_from=datetime.date(2026, 2, 1)
    )
    converted = pipeline_summary(user=rep).money.converted
    # On a day after 1 February the newer NOK rate applies; the label gives the oldest rate used.
    if timezone.localdate() >= datetime.date(2026, 2, 1):
        assert converted.amount == Decimal("1000") + Decimal("2300") + Decimal("900")
    assert (converted.currency, converted.as_of) == ("EUR", JAN)


def test_my_day_shows_each_currency_and_the_converted_total(client_for, admin, rep):
    deal(rep, 1000, "EUR")
    deal(rep, 2000, "GBP")
    page = page_text(client_for(rep).get("/"))
    assert re.search(r"Total 2 €1,000 £2,000 €500 £1,000", page)
    assert "converted" not in page
    exchange_rate_create(actor=admin, currency="GBP", rate="1.2", valid_from=JAN)
    page = page_text(client_for(rep).get("/"))
    assert "€1,000 £2,000 ≈ €3,400 converted at rates of 01/01/2026" in page


def test_rates_in_force_are_read_in_one_query(admin, django_assert_num_queries):
    for currency in ("GBP", "NOK", "USD", "SEK"):
        for month in (1, 2, 3):
            exchange_rate_create(
                actor=admin, currency=currency, rate="1.1", valid_from=JAN.replace(month=month)
            )
    with django_assert_num_queries(1):
        rates = rates_on({"GBP", "NOK", "USD", "EUR"}, day=datetime.date(2026, 2, 15))
    assert {c: r.valid_from.month for c, r in rates.items()} == {"GBP": 2, "NOK": 2, "USD": 2}


def test_only_administrators_keep_rates(rep):
    with pytest.raises(NotAllowed):
        exchange_rate_create(actor=rep, currency="GBP", rate="1.2", valid_from=JAN)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"currency": "EUR"}, {"currency": ["EUR is the base currency; it needs no rate."]}),
        ({"currency": "XYZ"}, {"currency": ["“XYZ” is not an ISO 4217 currency code."]}),
        ({"rate": "0"}, {"rate": ["A rate is a number above zero."]}),
        ({"rate": "abc"}, {"rate": ["Enter a number."]}),
    ],
)
def test_a_bad_rate_is_refused_by_field(admin, data, errors):
    with pytest.raises(ValidationError) as refused:
        exchange_rate_create(
            actor=admin, **{"currency": "GBP", "rate": "1.2", "valid_from": JAN, **data}
        )
    assert refused.value.message_dict == errors


def test_one_rate_per_currency_and_day(admin):
    exchange_rate_create(actor=admin, currency="GBP", rate="1.2", valid_from=JAN)
    with pytest.raises(ValidationError) as refused:
        exchange_rate_create(actor=admin, currency="gbp", rate="1.3", valid_from=JAN)
    assert refused.value.message_dict == {
        "valid_from": ["This currency has a rate from this day already."]
    }


# --- Settings page --------------------------------------------------------------------------


def test_the_settings_page_lists_adds_and_deletes_rates(client_for, admin):
    web = client_for(admin)
    response = web.post(
        "/settings/exchange-rates/",
        {"new-currency": "GBP", "new-rate": "1.17", "new-valid_from": "2026-01-01"},
    )
    assert response.status_code in (302, 303)
    page = page_text(web.get("/settings/exchange-rates/"))
    assert "GBP" in page and "1.17" in page
    rate = ExchangeRate.objects.get()
    response = web.post(f"/settings/exchange-rates/{rate.pk}/delete/")
    assert response.status_code in (302, 303)
    assert not ExchangeRate.objects.exists()


def test_the_settings_page_shows_a_refusal_beside_the_field(client_for, admin):
    response = client_for(admin).post(
        "/settings/exchange-rates/",
        {"new-currency": "EUR", "new-rate": "1", "new-valid_from": "2026-01-01"},
    )
    assert response.status_code == 422
    assert "EUR is the base currency; it needs no rate." in page_text(response)


def test_the_settings_page_is_for_administrators(client_for, rep):
    assert client_for(rep).get("/settings/exchange-rates/").status_code == 403


# --- API ------------------------------------------------------------------------------------


def test_the_api_lists_rates_to_everyone_and_lets_administrators_write(admin, rep):
    created = Api(admin).post(
        "/exchange-rates", {"currency": "NOK", "rate": "0.086", "valid_from": "2026-01-01"}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["currency"], Decimal(body["rate"]), body["valid_from"]) == (
        "NOK",
        Decimal("0.086"),
        "2026-01-01",
    )
    listed = Api(rep).get("/exchange-rates").json()
    assert [item["currency"] for item in listed["items"]] == ["NOK"]
    refused = Api(rep).post(
        "/exchange-rates", {"currency": "GBP", "rate": "1.2", "valid_from": "2026-01-01"}
    )
    assert refused.status_code == 403
    patched = Api(admin).patch(f"/exchange-rates/{body['id']}", {"rate": "0.09"})
    assert Decimal(patched.json()["rate"]) == Decimal("0.09")
    assert Api(admin).delete(f"/exchange-rates/{body['id']}").status_code == 204
    assert not ExchangeRate.objects.exists()


def test_the_api_refuses_the_base_currency_by_field(admin):
    response = Api(admin).post(
        "/exchange-rates", {"currency": "EUR", "rate": "1", "valid_from": "2026-01-01"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "currency", "message": "EUR is the base currency; it needs no rate."}
    ]


def test_the_board_s_column_totals_stay_per_currency_with_rates(admin, rep):
    from vorsprung.sales.selectors import board_column_total

    deal(rep, 1000, "EUR")
    deal(rep, 2000, "GBP")
    exchange_rate_create(actor=admin, currency="GBP", rate="1.2", valid_from=JAN)
    total = board_column_total(user=rep, stage=stage_named("Proposal"))
    assert (total.count, total.amounts) == (2, [("EUR", Decimal(1000)), ("GBP", Decimal(2000))])
