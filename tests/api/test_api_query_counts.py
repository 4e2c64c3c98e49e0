"""Every list endpoint answers a page in the same number of queries whether it holds 5
rows or 50, related records and all, with bearer authentication. The viewer is a manager,
whose visibility rule (team members, managed teams, unassigned records) is the most involved."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.helpers import Api
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
)
from vorsprung.leads.services import lead_change_status
from vorsprung.sales.models import Pipeline
from vorsprung.sales.services import pipeline_create


def _leads(people, n):
    for i in range(n):
        LeadFactory(owner=people[i % len(people)], score=i)


def _organizations(people, n):
    for i in range(n):
        OrganizationFactory(owner=people[i % len(people)])


def _contacts(people, n):
    for i in range(n):
        owner = people[i % len(people)]
        ContactFactory(owner=owner, organization=OrganizationFactory(owner=owner))


def _opportunities(people, n):
    for i in range(n):
        owner = people[i % len(people)]
        OpportunityFactory(owner=owner, organization=OrganizationFactory(owner=owner))


def _activities(people, n):
    organization = OrganizationFactory(owner=people[0])
    for i in range(n):
        owner = people[i % len(people)]
        ActivityFactory(
            owner=owner,
            lead=LeadFactory(owner=owner) if i % 2 else None,
            organization=organization,
            due_at=timezone.now() + datetime.timedelta(days=i),
        )


def _pipelines(people, n):
    stages = [
        {"name": "Open", "probability": 20, "forecast_category": "pipeline"},
        {"name": "Won", "probability": 100, "forecast_category": "closed", "is_won": True},
        {"name": "Lost", "probability": 0, "forecast_category": "omitted", "is_lost": True},
    ]
    for _ in range(n):
        name = f"Pipeline {Pipeline.objects.count()}"
        pipeline_create(actor=None, name=name, stages=[dict(s) for s in stages])


def _users(people, n):
    team = people[0].team
    for _ in range(n):
        UserFactory(team=team)


def _teams(people, n):
    for _ in range(n):
        TeamFactory(manager=people[0])


LISTS = {
    "leads": _leads,
    "organizations": _organizations,
    "contacts": _contacts,
    "opportunities": _opportunities,
    "activities": _activities,
    "pipelines": _pipelines,
    "users": _users,
    "teams": _teams,
}


def _page(api, path, params):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path, params)
    assert response.status_code == 200, response.content
    return len(response.json()["items"]), len(queries)


@pytest.mark.parametrize("resource", LISTS)
def test_a_page_costs_the_same_queries_for_5_and_50_rows(rep, teammate, manager, resource):
    make = LISTS[resource]
    people = [rep, teammate, manager]
    api = Api(manager)
    path = f"/{resource}"
    params = {"limit": 60}
    api.get("/users/me")  # the first request of a token notes its use; later ones do not
    make(people, 5)
    rows_small, small = _page(api, path, params)

    make(people, 45)
    rows_large, large = _page(api, path, params)

    assert rows_large - rows_small == 45
    assert large == small, f"{resource}: {small} queries for {rows_small} rows, {large} for 50"


@pytest.mark.parametrize("resource", ["leads", "contacts", "opportunities", "activities"])
def test_following_next_costs_the_same_as_the_first_page(api, rep, teammate, manager, resource):
    LISTS[resource]([rep, teammate], 30)
    api.get("/users/me")

    first = api.get(f"/{resource}", {"limit": 10}).json()
    with CaptureQueriesContext(connection) as first_queries:
        api.get(f"/{resource}", {"limit": 10})
    with CaptureQueriesContext(connection) as next_queries:
        second = api.get(first["next"])

    assert len(second.json()["items"]) == 10
    assert len(next_queries) == len(first_queries)


def test_a_timeline_page_costs_the_same_for_5_and_50_entries(api, rep):
    lead = LeadFactory(owner=rep)
    api.get("/users/me")

    def add_entries(n):
        for i in range(n):
            if i % 2:
                ActivityFactory(owner=rep, lead=lead)
            else:
                status = "nurturing" if lead.status == "working" else "working"
                lead.refresh_from_db()
                lead_change_status(actor=rep, lead=lead, status=status)
                lead.refresh_from_db()

    add_entries(5)
    rows_small, small = _page(api, f"/leads/{lead.pk}/timeline", {"limit": 60})
    add_entries(45)
    rows_large, large = _page(api, f"/leads/{lead.pk}/timeline", {"limit": 60})

    assert (rows_small, rows_large) == (5, 50)
    assert large == small
