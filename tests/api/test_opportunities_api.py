"""/api/v1/opportunities: the record contract, filters, stage moves, won and lost, and
the timeline."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.crud_suite import RecordResourceContract
from tests.api.helpers import Api, field_errors, problem
from tests.factories import (
    ContactFactory,
    OpportunityFactory,
    OrganizationFactory,
    stage_named,
)
from vorsprung.customers.models import Organization
from vorsprung.sales.models import Opportunity, OpportunityContactRole
from vorsprung.sales.services import pipeline_create, pipeline_update


class TestOpportunityResource(RecordResourceContract):
    path = "/opportunities"
    model = Opportunity
    orderings = (
        "expected_close_date",
        "-expected_close_date",
        "-created_at",
        "created_at",
        "-updated_at",
        "updated_at",
        "name",
        "-name",
    )
    update_body = {"next_step": "Send the offer"}
    wrong_type_body = {"probability": 50.0}
    wrong_type_errors = {"probability": ["Input should be a valid integer"]}

    def organization_of(self, owner):
        if not hasattr(self, "_organizations"):
            self._organizations = {}
        if owner.pk not in self._organizations:
            self._organizations[owner.pk] = OrganizationFactory(owner=owner)
        return self._organizations[owner.pk]

    def make(self, owner, **fields):
        return OpportunityFactory(owner=owner, organization=self.organization_of(owner), **fields)

    def create_body(self, owner):
        return {"name": "Fleet renewal", "organization_id": self.organization_of(owner).pk}


def test_create_puts_the_opportunity_in_the_first_open_stage(api, rep):
    organization = OrganizationFactory(owner=rep)

    response = api.post(
        "/opportunities",
        {"name": "Fleet", "organization_id": organization.pk, "amount": "1200.50"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    qualification = stage_named("Qualification")
    assert (body["stage_id"], body["probability"]) == (qualification.pk, 10)
    assert body["amount"] == "1200.50"
    assert body["currency"] == "EUR"
    assert body["is_closed"] is False


def test_an_opportunity_needs_a_name_and_an_organization(api):
    body = problem(api.post("/opportunities", {}), 422)

    assert field_errors(body) == {"name": ["Field required"], "organization_id": ["Field required"]}


def test_an_organization_of_another_team_is_refused(api, other_rep):
    hidden = OrganizationFactory(owner=other_rep)

    body = problem(api.post("/opportunities", {"name": "X", "organization_id": hidden.pk}), 422)

    assert field_errors(body) == {
        "organization_id": [f"No record with id {hidden.pk} that you may see."]
    }
    assert not Opportunity.objects.exists()


# --- filters -------------------------------------------------------------------------


@pytest.fixture
def second_pipeline(db):
    return pipeline_create(
        actor=None,
        name="Renewals",
        stages=[
            {"name": "Open", "probability": 40, "forecast_category": "pipeline"},
            {"name": "Renewed", "probability": 100, "forecast_category": "closed", "is_won": True},
            {"name": "Churned", "probability": 0, "forecast_category": "omitted", "is_lost": True},
        ],
    )


@pytest.fixture
def opportunities(rep, teammate, other_rep, second_pipeline):
    now = timezone.now()
    today = timezone.localdate()
    adler = OrganizationFactory(owner=rep, name="Adler GmbH")
    renewal_open = second_pipeline.stages.get(name="Open")
    specs = {
        "alpha": (rep, adler, "Qualification", None, 10, 10),
        "bravo": (rep, adler, "Proposal", None, 40, 5),
        "charlie": (teammate, None, "Closed won", None, 70, 2),
        "delta": (teammate, None, "Closed lost", None, 100, 1),
        "echo": (other_rep, None, None, renewal_open, 20, 20),
    }
    records = {}
    for name, (owner, organization, stage_name, stage, close_in, days_ago) in specs.items():
        stage = stage or stage_named(stage_name)
        opportunity = OpportunityFactory(
            owner=owner,
            organization=organization or OrganizationFactory(owner=owner),
            name=f"{name.capitalize()} deal",
            pipeline=stage.pipeline,
            stage=stage,
            is_closed=stage.is_won or stage.is_lost,
            is_won=stage.is_won,
            expected_close_date=today + datetime.timedelta(days=close_in),
        )
        stamp = now - datetime.timedelta(days=days_ago)
        Opportunity.objects.filter(pk=opportunity.pk).update(created_at=stamp, updated_at=stamp)
        records[name] = opportunity
    return records


OPPORTUNITY_FILTERS = [
    ({"pipeline": "second_pipeline"}, {"echo"}),
    ({"stage": ["Qualification", "Proposal"]}, {"alpha", "bravo"}),
    ({"organization": "adler"}, {"alpha", "bravo"}),
    ({"owner": ["teammate"]}, {"charlie", "delta"}),
    ({"team": "other_team"}, {"echo"}),
    ({"is_closed": "true"}, {"charlie", "delta"}),
    ({"is_closed": "false"}, {"alpha", "bravo", "echo"}),
    ({"is_won": "true"}, {"charlie"}),
    ({"forecast_category": ["best_case", "closed"]}, {"bravo", "charlie"}),
    ({"close_after": 30}, {"bravo", "charlie", "delta"}),
    ({"close_before": 30}, {"alpha", "echo"}),
    ({"created_after": -6}, {"bravo", "charlie", "delta"}),
    ({"created_before": -6}, {"alpha", "echo"}),
    ({"updated_after": -3}, {"charlie", "delta"}),
    ({"q": "DELTA"}, {"delta"}),
]


@pytest.mark.parametrize(
    ("params", "expected"), OPPORTUNITY_FILTERS, ids=[str(p) for p, _ in OPPORTUNITY_FILTERS]
)
def test_the_opportunity_list_filters(request, admin, opportunities, params, expected):
    query = {}
    for name, value in params.items():
        if name == "pipeline":
            value = request.getfixturevalue(value).pk
        elif name == "stage":
            value = [stage_named(stage).pk for stage in value]
        elif name == "organization":
            value = opportunities["alpha"].organization_id
        elif name == "owner":
            value = [request.getfixturevalue(person).pk for person in value]
        elif name == "team":
            value = request.getfixturevalue(value).pk
        elif name.startswith("close_"):
            value = (timezone.localdate() + datetime.timedelta(days=value)).isoformat()
        elif name.endswith(("_after", "_before")):
            value = (timezone.now() + datetime.timedelta(days=value)).isoformat()
        query[name] = value

    items = Api(admin).get("/opportunities", query).json()["items"]

    assert {item["name"].split()[0].lower() for item in items} == expected


# --- stage moves, won, lost ----------------------------------------------------------


def test_a_stage_move_follows_the_stage_and_records_history(api, rep):
    opportunity = OpportunityFactory(owner=rep, organization=OrganizationFactory(owner=rep))
    proposal = stage_named("Proposal")

    response = api.post(f"/opportunities/{opportunity.pk}/stage", {"stage_id": proposal.pk})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["stage_id"], body["probability"], body["forecast_category"]) == (
        proposal.pk,
        50,
        "best_case",
    )
    assert body["version"] == opportunity.version + 1
    items = api.get(f"/opportunities/{opportunity.pk}/timeline").json()["items"]
    change = next(i["change"] for i in items if i["change"] and i["change"]["field"] == "stage")
    assert (change["field"], change["old_label"], change["new_label"]) == (
        "stage",
        "Qualification",
        "Proposal",
    )


def test_moving_to_a_lost_stage_needs_a_reason(api, rep):
    opportunity = OpportunityFactory(owner=rep, organization=OrganizationFactory(owner=rep))

    body = problem(
        api.post(
            f"/opportunities/{opportunity.pk}/stage", {"stage_id": stage_named("Closed lost").pk}
        ),
        422,
    )

    assert field_errors(body) == {"lost_reason": ["Say why the opportunity was lost."]}
    assert Opportunity.objects.get(pk=opportunity.pk).is_closed is False


def test_an_unknown_stage_is_refused(api, rep):
    opportunity = OpportunityFactory(owner=rep, organization=OrganizationFactory(owner=rep))

    body = problem(api.post(f"/opportunities/{opportunity.pk}/stage", {"stage_id": 987654}), 422)

    assert field_errors(body) == {"stage_id": ["No stage with id 987654 in an active pipeline."]}


def test_a_stage_of_another_pipeline_is_refused_on_stage_id(api, rep, second_pipeline):
    opportunity = OpportunityFactory(owner=rep, organization=OrganizationFactory(owner=rep))
    foreign = second_pipeline.stages.get(name="Open")

    body = problem(
        api.post(f"/opportunities/{opportunity.pk}/stage", {"stage_id": foreign.pk}), 422
    )

    assert field_errors(body) == {"stage_id": ["Stage “Open” belongs to another pipeline."]}


def test_won_closes_the_opportunity_and_makes_the_organization_a_customer(api, rep):
    organization = OrganizationFactory(owner=rep)
    opportunity = OpportunityFactory(owner=rep, organization=organization)

    response = api.post(f"/opportunities/{opportunity.pk}/won")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["is_closed"], body["is_won"], body["probability"]) == (True, True, 100)
    assert body["stage_id"] == stage_named("Closed won").pk
    assert body["closed_at"] is not None
    assert api.get(f"/organizations/{organization.pk}").json()["lifecycle"] == "customer"


def test_winning_twice_is_409(api, rep):
    opportunity = OpportunityFactory(owner=rep, organization=OrganizationFactory(owner=rep))
    api.post(f"/opportunities/{opportunity.pk}/won")

    body = problem(api.post(f"/opportunities/{opportunity.pk}/won"), 409)

    assert body["detail"] == "This opportunity is already closed won."


def test_lost_needs_a_reason(api, rep):
    opportunity = OpportunityFactory(owner=rep, organization=OrganizationFactory(owner=rep))

    body = problem(api.post(f"/opportunities/{opportunity.pk}/lost", {}), 422)

    assert field_errors(body) == {"reason": ["Field required"]}
    assert Opportunity.objects.get(pk=opportunity.pk).is_closed is False


def test_a_blank_lost_reason_is_refused_on_reason(api, rep):
    opportunity = OpportunityFactory(owner=rep, organization=OrganizationFactory(owner=rep))

    body = problem(api.post(f"/opportunities/{opportunity.pk}/lost", {"reason": "  "}), 422)

    assert field_errors(body) == {"reason": ["Say why the opportunity was lost."]}


def test_lost_closes_the_opportunity_with_the_reason(api, rep):
    organization = OrganizationFactory(owner=rep)
    opportunity = OpportunityFactory(owner=rep, organization=organization)

    response = api.post(f"/opportunities/{opportunity.pk}/lost", {"reason": "Too expensive"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["is_closed"], body["is_won"], body["lost_reason"]) == (
        True,
        False,
        "Too expensive",
    )
    assert body["stage_id"] == stage_named("Closed lost").pk
    assert Organization.objects.get(pk=organization.pk).lifecycle == "prospect"
    again = problem(api.post(f"/opportunities/{opportunity.pk}/lost", {"reason": "Still"}), 409)
    assert again["detail"] == "This opportunity is already closed lost."


def test_moving_a_won_opportunity_to_an_open_stage_reopens_it(api, rep):
    opportunity = OpportunityFactory(owner=rep, organization=OrganizationFactory(owner=rep))
    api.post(f"/opportunities/{opportunity.pk}/won")

    response = api.post(
        f"/opportunities/{opportunity.pk}/stage", {"stage_id": stage_named("Negotiation").pk}
    )

    body = response.json()
    assert (body["is_closed"], body["is_won"], body["closed_at"], body["probability"]) == (
        False,
        False,
        None,
        75,
    )


def test_the_opportunity_timeline_lists_stage_changes_newest_first(api, rep):
    organization = OrganizationFactory(owner=rep)
    opportunity_id = api.post(
        "/opportunities", {"name": "Fleet", "organization_id": organization.pk}
    ).json()["id"]
    for stage in ("Needs analysis", "Proposal"):
        api.post(f"/opportunities/{opportunity_id}/stage", {"stage_id": stage_named(stage).pk})

    items = api.get(f"/opportunities/{opportunity_id}/timeline").json()["items"]

    stages = [i["change"] for i in items if i["change"]["field"] == "stage"]
    assert [change["new_label"] for change in stages] == [
        "Proposal",
        "Needs analysis",
        "Qualification",
    ]


def test_operations_on_an_invisible_opportunity_are_404(api, other_rep):
    opportunity = OpportunityFactory(owner=other_rep)

    for response in (
        api.post(
            f"/opportunities/{opportunity.pk}/stage", {"stage_id": stage_named("Proposal").pk}
        ),
        api.post(f"/opportunities/{opportunity.pk}/won"),
        api.post(f"/opportunities/{opportunity.pk}/lost", {"reason": "No"}),
        api.get(f"/opportunities/{opportunity.pk}/timeline"),
    ):
        assert problem(response, 404)["detail"] == "No such record, or you may not see it."
    assert Opportunity.objects.get(pk=opportunity.pk).is_closed is False


# --- contact roles -----------------------------------------------------------------------


@pytest.fixture
def deal(rep):
    return OpportunityFactory(owner=rep, organization=OrganizationFactory(owner=rep))


def test_contact_roles_are_added_listed_and_removed(api, rep, deal):
    contact = ContactFactory(organization=deal.organization, owner=rep, last_name="Berg")
    path = f"/opportunities/{deal.pk}/contact-roles"

    added = api.post(path, {"contact_id": contact.pk, "role": "decision_maker"})
    listed = api.get(path).json()
    removed = api.delete(f"{path}/{added.json()['id']}")

    assert added.status_code == 201, added.content
    assert listed == {
        "items": [
            {
                "id": added.json()["id"],
                "contact_id": contact.pk,
                "contact_name": str(contact),
                "role": "decision_maker",
            }
        ],
        "next": None,
        "next_cursor": None,
    }
    assert removed.status_code == 204
    assert api.get(path).json()["items"] == []
    history = [e["field"] for e in api.get(f"/opportunities/{deal.pk}/history").json()["items"]]
    assert history[:2] == ["contacts", "contacts"]


def test_roles_of_contacts_the_user_may_not_see_are_left_out(api, rep, other_rep, deal):
    hidden = ContactFactory(organization=deal.organization, owner=other_rep)
    role = OpportunityContactRole.objects.create(opportunity=deal, contact=hidden, role="user")
    path = f"/opportunities/{deal.pk}/contact-roles"

    assert api.get(path).json()["items"] == []
    assert problem(api.delete(f"{path}/{role.pk}"), 404)
    assert field_errors(
        problem(api.post(path, {"contact_id": hidden.pk, "role": "user"}), 422)
    ) == {"contact_id": [f"No record with id {hidden.pk} that you may see."]}
    assert OpportunityContactRole.objects.filter(pk=role.pk).exists()


def test_a_contact_of_another_organization_gets_no_role_over_the_api(api, rep, deal):
    stranger = ContactFactory(organization=OrganizationFactory(owner=rep), owner=rep)

    response = api.post(
        f"/opportunities/{deal.pk}/contact-roles", {"contact_id": stranger.pk, "role": "user"}
    )

    assert field_errors(problem(response, 422)) == {
        "contact_id": ["This contact works for another organization."]
    }


def test_the_roles_of_an_invisible_opportunity_are_404(api, other_rep):
    deal = OpportunityFactory(owner=other_rep, organization=OrganizationFactory(owner=other_rep))

    assert problem(api.get(f"/opportunities/{deal.pk}/contact-roles"), 404)


def test_the_role_list_costs_the_same_queries_for_3_and_30_roles(api, rep, deal):
    path = f"/opportunities/{deal.pk}/contact-roles"

    def add(n):
        for contact in ContactFactory.create_batch(n, organization=deal.organization, owner=rep):
            OpportunityContactRole.objects.create(opportunity=deal, contact=contact, role="user")

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert api.get(path).status_code == 200
        return len(context)

    add(3)
    count()  # the token's first use is written down once
    small = count()
    add(27)
    assert count() == small


@pytest.fixture
def retired_pipeline(second_pipeline):
    pipeline_update(actor=None, pipeline=second_pipeline, is_active=False)
    return second_pipeline


def test_a_stage_of_a_deactivated_pipeline_is_refused_on_create(api, rep, retired_pipeline):
    stage = retired_pipeline.stages.get(name="Open")
    organization = OrganizationFactory(owner=rep)

    body = problem(
        api.post(
            "/opportunities",
            {"name": "Fleet", "organization_id": organization.pk, "stage_id": stage.pk},
        ),
        422,
    )

    assert field_errors(body) == {
        "stage_id": [f"No stage with id {stage.pk} in an active pipeline."]
    }
    assert not Opportunity.objects.exists()


def test_a_stage_of_a_deactivated_pipeline_is_refused_on_a_move(api, rep, retired_pipeline):
    opportunity = OpportunityFactory(
        owner=rep,
        organization=OrganizationFactory(owner=rep),
        pipeline=retired_pipeline,
        stage=retired_pipeline.stages.get(name="Open"),
    )
    renewed = retired_pipeline.stages.get(name="Renewed")

    body = problem(
        api.post(f"/opportunities/{opportunity.pk}/stage", {"stage_id": renewed.pk}), 422
    )

    assert field_errors(body) == {
        "stage_id": [f"No stage with id {renewed.pk} in an active pipeline."]
    }
    assert Opportunity.objects.get(pk=opportunity.pk).stage.name == "Open"
