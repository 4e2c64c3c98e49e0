"""One definition of the qualification checklist: an item is done when its evidence is
recorded and confirmed; a decision date gone by on an open lead is a gap. The lead page,
the API and conversion all read it."""

import datetime

import pytest
from django.utils import timezone

from tests.api.helpers import Api
from tests.factories import LeadFactory, UserFactory
from tests.pages import page_text
from vorsprung.core.errors import ValidationError
from vorsprung.leads.services import lead_convert

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["testserver"]


@pytest.fixture
def rep():
    return UserFactory()


def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("fields", "gaps"),
    [
        ({}, ["need", "budget", "authority", "timeline"]),
        ({"need": "Fewer spreadsheets"}, ["need", "budget", "authority", "timeline"]),
        ({"need_confirmed": True}, ["need", "budget", "authority", "timeline"]),
        (
            {"need": "Fewer spreadsheets", "need_confirmed": True},
            ["budget", "authority", "timeline"],
        ),
        ({"budget_confirmed": True}, ["need", "budget", "authority", "timeline"]),
        ({"budget_amount": 5000}, ["need", "budget", "authority", "timeline"]),
        ({"budget_amount": 5000, "budget_confirmed": True}, ["need", "authority", "timeline"]),
        ({"is_decision_maker": False}, ["need", "budget", "authority", "timeline"]),
        ({"decision_maker": "Ada, CFO"}, ["need", "budget", "timeline"]),
        ({"is_decision_maker": True}, ["need", "budget", "timeline"]),
        (
            {"expected_decision_date": datetime.date(1990, 1, 1)},
            ["need", "budget", "authority", "timeline"],
        ),
    ],
)
def test_an_item_is_done_only_with_its_evidence_recorded_and_confirmed(rep, fields, gaps):
    blank = {"need": "", "decision_maker": "", "is_decision_maker": None}
    lead = LeadFactory(owner=rep, **{**blank, **fields})
    assert lead.qualification_gaps == gaps
    response = Api(rep).get(f"/leads/{lead.pk}")
    assert response.json()["qualification_gaps"] == gaps


def test_a_future_decision_date_completes_the_timeline(rep):
    lead = LeadFactory(owner=rep, expected_decision_date=tomorrow())
    assert "timeline" not in lead.qualification_gaps


def test_a_past_decision_date_is_no_gap_once_the_lead_is_closed(rep):
    lead = LeadFactory(
        owner=rep, status="unqualified", expected_decision_date=datetime.date(1990, 1, 1)
    )
    assert "timeline" not in lead.qualification_gaps


def test_the_page_says_why_an_item_is_missing(client_for, rep):
    lead = LeadFactory(
        owner=rep,
        need="Quotes in minutes",
        need_confirmed=False,
        expected_decision_date=datetime.date(1990, 1, 1),
    )
    text = page_text(client_for(rep).get(f"/leads/{lead.pk}/"))
    assert "Need missing — Quotes in minutes (written but not confirmed)" in text
    assert "(the decision date is in the past)" in text
    assert "4 items missing" in text


def test_conversion_counts_the_same_gaps(rep):
    lead = LeadFactory(
        owner=rep,
        company="Flagge AG",
        need="",
        need_confirmed=True,
        budget_amount=None,
        budget_confirmed=True,
        is_decision_maker=True,
        expected_decision_date=datetime.date(1990, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        lead_convert(actor=rep, lead=lead)
    assert refused.value.message_dict["accept_qualification_gaps"] == [
        "The qualification checklist is incomplete (missing: Need, Budget, Timeline). "
        "Confirm that you want to convert anyway."
    ]


def test_the_openapi_document_states_the_rule(rep):
    schema = Api(rep).get("/openapi.json").json()
    gaps = schema["components"]["schemas"]["LeadOut"]["properties"]["qualification_gaps"]
    assert "evidence is recorded and confirmed" in gaps["description"]
    assert gaps["items"]["enum"] == ["need", "budget", "authority", "timeline"]
