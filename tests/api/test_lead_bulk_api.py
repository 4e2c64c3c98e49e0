"""POST /api/v1/leads/bulk: one action on several leads, all or none, as the lead list's
bulk actions do it."""

import pytest
from django.utils import timezone

from tests.api.helpers import field_errors, problem
from tests.factories import LeadFactory
from vorsprung.history.models import Change
from vorsprung.leads.models import Lead


def states(leads) -> list[tuple]:
    return [Lead.objects.values_list("status", "owner_id").get(pk=lead.pk) for lead in leads]


def test_assign_gives_every_lead_the_owner(api, rep, teammate):
    leads = LeadFactory.create_batch(3, owner=rep)

    response = api.post(
        "/leads/bulk", {"action": "assign", "ids": [x.pk for x in leads], "owner_id": teammate.pk}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 3
    assert {item["owner_id"] for item in body["items"]} == {teammate.pk}
    assert states(leads) == [("new", teammate.pk)] * 3
    assert Change.objects.filter(record_type="lead", field="owner", door="api").count() == 3


def test_status_and_disqualify(api, rep):
    leads = LeadFactory.create_batch(2, owner=rep)
    ids = [x.pk for x in leads]

    moved = api.post("/leads/bulk", {"action": "status", "ids": ids, "status": "working"})
    closed = api.post("/leads/bulk", {"action": "disqualify", "ids": ids, "reason": "No budget"})

    assert (moved.status_code, closed.status_code) == (200, 200)
    assert [i["disqualification_reason"] for i in closed.json()["items"]] == ["No budget"] * 2
    assert states(leads) == [("unqualified", rep.pk)] * 2


def test_one_refused_lead_changes_none_and_the_problem_names_it(api, rep):
    fine = LeadFactory(owner=rep)
    converted = LeadFactory(
        owner=rep,
        first_name="Kari",
        last_name="Berg",
        company="",
        status="converted",
        converted_at=timezone.now(),
    )

    response = api.post(
        "/leads/bulk", {"action": "status", "ids": [fine.pk, converted.pk], "status": "working"}
    )

    body = problem(response, 409)
    assert body["detail"].startswith("Nothing was changed: Kari Berg — This lead was converted")
    assert states([fine, converted]) == [("new", rep.pk), ("converted", rep.pk)]
    assert not Change.objects.exists()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"action": "assign"}, {"owner_id": ["Name the new owner."]}),
        ({"action": "status"}, {"status": ["Name the new status."]}),
        ({"action": "disqualify"}, {"reason": ["Say why the lead is unqualified."]}),
        (
            {"action": "status", "status": "unqualified", "reason": " "},
            {"reason": ["Say why the lead is unqualified."]},
        ),
        ({"action": "merge"}, {"action": ["Input should be 'assign', 'status' or 'disqualify'"]}),
    ],
)
def test_an_action_without_what_it_needs_is_refused(api, rep, body, errors):
    lead = LeadFactory(owner=rep)

    response = api.post("/leads/bulk", {"ids": [lead.pk], **body})

    assert field_errors(problem(response, 422)) == errors
    assert states([lead]) == [("new", rep.pk)]


def test_leads_the_user_may_not_see_are_named_and_nothing_changes(api, rep, other_rep):
    mine = LeadFactory(owner=rep)
    hidden = LeadFactory(owner=other_rep)

    response = api.post(
        "/leads/bulk", {"action": "disqualify", "ids": [mine.pk, hidden.pk], "reason": "Spam"}
    )

    assert field_errors(problem(response, 422)) == {
        "ids": [f"No lead with id {hidden.pk} that you may see."]
    }
    assert states([mine]) == [("new", rep.pk)]


def test_an_owner_the_user_may_not_assign_is_refused(api, rep, other_rep):
    lead = LeadFactory(owner=rep)

    response = api.post(
        "/leads/bulk", {"action": "assign", "ids": [lead.pk], "owner_id": other_rep.pk}
    )

    assert field_errors(problem(response, 422)) == {
        "owner_id": [
            f"You may not assign records to {other_rep} (user {other_rep.pk}): you may "
            "assign them to yourself and your teammates only."
        ]
    }


def test_at_most_200_leads_at_once(api):
    response = api.post(
        "/leads/bulk", {"action": "assign", "ids": list(range(1, 202)), "owner_id": 1}
    )

    assert field_errors(problem(response, 422)) == {
        "ids": ["List should have at most 200 items after validation, not 201"]
    }


def test_a_manager_may_unassign_leads_into_the_queue(api_as, manager, rep):
    lead = LeadFactory(owner=rep)

    response = api_as(manager).post(
        "/leads/bulk", {"action": "assign", "ids": [lead.pk], "owner_id": None}
    )

    assert response.status_code == 200
    assert states([lead]) == [("new", None)]


def test_a_rep_may_not(api, rep):
    lead = LeadFactory(owner=rep)

    response = api.post("/leads/bulk", {"action": "assign", "ids": [lead.pk], "owner_id": None})

    assert field_errors(problem(response, 422)) == {
        "owner_id": [
            "Records without an owner are seen by managers only; name an owner or leave the "
            "field out."
        ]
    }


def test_the_lead_list_page_and_the_api_refuse_alike(client_for, api, rep):
    converted = LeadFactory(
        owner=rep, first_name="Kari", last_name="Berg", company="", status="converted"
    )
    body = {"action": "status", "status": "working"}

    page = client_for(rep).post(
        "/leads/bulk/", {**body, "leads": [converted.pk]}, HTTP_HX_REQUEST="true"
    )
    response = api.post("/leads/bulk", {**body, "ids": [converted.pk]})

    assert page.content.decode() == problem(response, 409)["detail"]


def test_filters_select_every_matching_lead_as_the_list_does(api, rep, other_rep):
    matching = LeadFactory.create_batch(2, owner=rep, source="trade_show")
    other = LeadFactory(owner=rep, source="referral")
    hidden = LeadFactory(owner=other_rep, source="trade_show")

    response = api.post(
        "/leads/bulk",
        {"action": "status", "status": "working", "filters": "source=trade_show&owner=me"},
    )

    assert response.status_code == 200, response.content
    assert response.json()["count"] == 2
    assert states(matching) == [("working", rep.pk)] * 2
    assert states([other, hidden]) == [("new", rep.pk), ("new", other_rep.pk)]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"filters": "status=lost"}, "filters", "“lost” is not a valid value."),
        ({"filters": "source=partner"}, "filters", "No lead matches these filters."),
        ({}, "ids", "Give either the leads' ids or filters, not both."),
    ],
)
def test_bad_selections_are_refused_by_field(api, rep, body, field, message):
    LeadFactory(owner=rep, source="referral")

    response = api.post("/leads/bulk", {"action": "status", "status": "working", **body})

    errors = field_errors(problem(response, 422))
    assert list(errors) == [field]
    assert message in errors[field][0]
