"""Dates and times are accepted only within one sane range (core.dates), and pages render
what is stored even when it lies outside it."""

import datetime

import pytest
from django.utils import timezone

from tests.api.helpers import Api
from tests.factories import ActivityFactory, LeadFactory, UserFactory
from vorsprung.leads.models import Lead

pytestmark = pytest.mark.django_db

FAR = "9999-12-31T23:00:00Z"


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.TIME_ZONE = "Europe/Berlin"


@pytest.fixture
def rep():
    return UserFactory()


def test_the_api_refuses_a_follow_up_in_the_year_9999(rep):
    response = Api(rep).post("/leads", {"last_name": "Fern", "next_follow_up_at": FAR})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["next_follow_up_at"]
    assert "between 1900-01-01 and 2199-12-31" in errors[0]["message"]
    assert not Lead.objects.exists()


def test_pages_render_a_far_future_date_stored_before_the_check(client_for, rep):
    far = datetime.datetime(9999, 12, 31, 23, tzinfo=datetime.UTC)
    lead = LeadFactory(owner=rep, next_follow_up_at=far)
    ActivityFactory(lead=lead, owner=rep, kind="task", due_at=far, subject="Far away")
    web = client_for(rep)
    for url in (
        f"/leads/{lead.pk}/",
        f"/leads/{lead.pk}/edit/",
        f"/timeline/lead/{lead.pk}/",
        "/tasks/",
        "/",
    ):
        response = web.get(url)
        assert response.status_code == 200, url


def test_a_service_refuses_a_date_out_of_range(rep):
    from vorsprung.core.errors import ValidationError
    from vorsprung.leads.services import lead_create

    with pytest.raises(ValidationError) as refused:
        lead_create(actor=rep, last_name="Alt", expected_decision_date=datetime.date(1899, 12, 31))
    assert refused.value.message_dict == {
        "expected_decision_date": ["Enter a date between 1900-01-01 and 2199-12-31."]
    }


def test_a_form_refuses_a_date_out_of_range_beside_the_field(client_for, rep):
    lead = LeadFactory(owner=rep)
    response = client_for(rep).post(
        f"/leads/{lead.pk}/edit/",
        {"last_name": "Fern", "owner": rep.pk, "next_follow_up_at": "9999-12-31T23:00"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["next_follow_up_at"] == [
        "Enter a date between 1900-01-01 and 2199-12-31."
    ]


def test_the_api_refuses_a_task_due_in_the_year_9999(rep):
    lead = LeadFactory(owner=rep)
    response = Api(rep).post(
        "/activities", {"kind": "task", "subject": "Far", "lead_id": lead.pk, "due_at": FAR}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["due_at"]


def test_a_date_picker_offers_only_the_accepted_range(client_for, rep):
    lead = LeadFactory(owner=rep)
    html = client_for(rep).get(f"/leads/{lead.pk}/edit/").content.decode()
    assert 'max="2199-12-31T23:59"' in html


def test_dates_at_the_ends_of_the_range_are_accepted(rep):
    from vorsprung.leads.services import lead_create

    lead = lead_create(
        actor=rep,
        last_name="Rand",
        expected_decision_date=datetime.date(2199, 12, 31),
        next_follow_up_at=timezone.make_aware(datetime.datetime(1900, 1, 1, 12)),
    )
    assert lead.expected_decision_date == datetime.date(2199, 12, 31)


def test_pages_render_far_dates_of_every_kind_stored_before_the_check(client_for, rep):
    from tests.factories import OpportunityFactory, OrganizationFactory

    far_day = datetime.date(9999, 12, 31)
    far = datetime.datetime(9999, 12, 31, 23, tzinfo=datetime.UTC)
    lead = LeadFactory(
        owner=rep, next_follow_up_at=far, expected_decision_date=far_day, company="Fern AG"
    )
    opportunity = OpportunityFactory(
        organization=OrganizationFactory(owner=rep), owner=rep, expected_close_date=far_day
    )
    ActivityFactory(opportunity=opportunity, owner=rep, kind="call", occurred_at=far)
    web = client_for(rep)
    for url in (
        f"/leads/{lead.pk}/convert/",
        "/leads/",
        f"/opportunities/{opportunity.pk}/",
        f"/opportunities/{opportunity.pk}/edit/",
        "/opportunities/",
        f"/timeline/opportunity/{opportunity.pk}/",
        f"/board/columns/{opportunity.stage_id}/",
        "/",
    ):
        response = web.get(url)
        assert response.status_code == 200, url
