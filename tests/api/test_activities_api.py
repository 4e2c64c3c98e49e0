"""/api/v1/activities: the record contract, filters, links, completing tasks, and paging
through a timeline."""

import datetime

import pytest
from django.utils import timezone

from tests.api.crud_suite import RecordResourceContract
from tests.api.helpers import Api, field_errors, problem
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
)
from vorsprung.activities.models import Activity
from vorsprung.leads.models import Lead


class TestActivityResource(RecordResourceContract):
    path = "/activities"
    model = Activity
    orderings = ("-occurred_at", "occurred_at", "-created_at", "created_at")
    update_body = {"subject": "Call about the offer"}
    wrong_type_body = {"done": "true"}
    wrong_type_errors = {"done": ["Input should be a valid boolean"]}

    def lead_of(self, owner):
        if not hasattr(self, "_leads"):
            self._leads = {}
        if owner.pk not in self._leads:
            self._leads[owner.pk] = LeadFactory(owner=owner)
        return self._leads[owner.pk]

    def make(self, owner, **fields):
        return ActivityFactory(owner=owner, lead=self.lead_of(owner), **fields)

    def create_body(self, owner):
        return {"kind": "call", "subject": "First call", "lead_id": self.lead_of(owner).pk}


def test_a_done_call_on_a_new_lead_moves_it_to_working(api, rep):
    lead = LeadFactory(owner=rep)

    response = api.post(
        "/activities",
        {"kind": "call", "subject": "Intro", "lead_id": lead.pk, "outcome": "connected"},
    )

    assert response.status_code == 201, response.content
    assert response.json()["done"] is True
    assert Lead.objects.get(pk=lead.pk).status == "working"


def test_a_task_needs_a_due_date(api, rep):
    lead = LeadFactory(owner=rep)

    body = problem(
        api.post("/activities", {"kind": "task", "subject": "Call back", "lead_id": lead.pk}), 422
    )

    assert field_errors(body) == {"due_at": ["A task needs a due date."]}
    assert not Activity.objects.exists()


def test_an_activity_without_a_record_is_refused_on_lead_id(api):
    body = problem(api.post("/activities", {"kind": "note", "subject": "Loose note"}), 422)

    assert field_errors(body) == {
        "lead_id": ["Link the activity to a lead, contact, organization or opportunity."]
    }


@pytest.mark.parametrize("link", ["lead", "contact", "organization", "opportunity"])
def test_an_activity_cannot_be_linked_to_a_record_of_another_team(api, other_rep, link):
    organization = OrganizationFactory(owner=other_rep)
    hidden = {
        "lead": lambda: LeadFactory(owner=other_rep),
        "contact": lambda: ContactFactory(owner=other_rep, organization=organization),
        "organization": lambda: organization,
        "opportunity": lambda: OpportunityFactory(owner=other_rep, organization=organization),
    }[link]()

    body = problem(
        api.post("/activities", {"kind": "note", "subject": "Peek", f"{link}_id": hidden.pk}), 422
    )

    assert field_errors(body) == {
        f"{link}_id": [f"No record with id {hidden.pk} that you may see."]
    }
    assert not Activity.objects.exists()


def test_an_activity_on_a_visible_record_is_visible_whoever_owns_it(api, rep, other_rep):
    lead = LeadFactory(owner=rep)
    activity = ActivityFactory(lead=lead, owner=other_rep)

    assert [item["id"] for item in api.get("/activities").json()["items"]] == [activity.pk]
    assert api.get(f"/activities/{activity.pk}").status_code == 200


# --- completing ----------------------------------------------------------------------


@pytest.fixture
def task(rep):
    return ActivityFactory(
        owner=rep,
        lead=LeadFactory(owner=rep),
        kind="task",
        done=False,
        due_at=timezone.now() + datetime.timedelta(days=1),
    )


def test_complete_marks_a_task_done_with_its_outcome(api, task):
    response = api.post(f"/activities/{task.pk}/complete", {"outcome": "connected"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["done"], body["outcome"]) == (True, "connected")
    assert body["done_at"] is not None
    assert body["version"] == task.version + 1


def test_completing_twice_is_409(api, task):
    api.post(f"/activities/{task.pk}/complete", {})

    body = problem(api.post(f"/activities/{task.pk}/complete", {}), 409)

    assert body["type"] == "urn:vorsprung:problem:already-done"
    assert body["detail"] == "This activity is already done."


def test_complete_refuses_an_unknown_outcome(api, task):
    body = problem(api.post(f"/activities/{task.pk}/complete", {"outcome": "great"}), 422)

    assert list(field_errors(body)) == ["outcome"]
    assert field_errors(body)["outcome"][0].startswith("Input should be 'connected', ")
    assert Activity.objects.get(pk=task.pk).done is False


def test_completing_an_invisible_activity_is_404(api, other_rep):
    activity = ActivityFactory(owner=other_rep, lead=LeadFactory(owner=other_rep), done=False)

    assert problem(api.post(f"/activities/{activity.pk}/complete", {}), 404)
    assert Activity.objects.get(pk=activity.pk).done is False


# --- filters -------------------------------------------------------------------------


@pytest.fixture
def activities(rep, teammate, other_rep):
    now = timezone.now()
    lead = LeadFactory(owner=rep)
    organization = OrganizationFactory(owner=rep)
    contact = ContactFactory(owner=rep, organization=organization)
    opportunity = OpportunityFactory(owner=rep, organization=organization)
    specs = {
        "call": dict(owner=rep, kind="call", lead=lead, occurred_at=now - datetime.timedelta(5)),
        "task": dict(
            owner=rep,
            kind="task",
            done=False,
            lead=None,
            contact=contact,
            organization=organization,
            due_at=now + datetime.timedelta(days=1),
        ),
        "meeting": dict(owner=teammate, kind="meeting", lead=None, organization=organization),
        "email": dict(
            owner=other_rep,
            kind="email",
            lead=LeadFactory(owner=other_rep),
            occurred_at=now - datetime.timedelta(days=20),
        ),
        "note": dict(
            owner=rep, kind="note", lead=None, opportunity=opportunity, organization=organization
        ),
    }
    records = {name: ActivityFactory(subject=name, **spec) for name, spec in specs.items()}
    links = {"lead": lead, "contact": contact, "organization": organization}
    return records, {**links, "opportunity": opportunity}


ACTIVITY_FILTERS = [
    ({"kind": "call"}, {"call"}),
    ({"kind": ["meeting", "note"]}, {"meeting", "note"}),
    ({"done": "false"}, {"task"}),
    ({"owner": "teammate"}, {"meeting"}),
    ({"lead": "lead"}, {"call"}),
    ({"contact": "contact"}, {"task"}),
    ({"organization": "organization"}, {"task", "meeting", "note"}),
    ({"opportunity": "opportunity"}, {"note"}),
    ({"due_before": 2}, {"task"}),
    ({"occurred_after": -3}, {"task", "meeting", "note"}),
    ({"occurred_before": -3}, {"call", "email"}),
    ({"occurred_after": -10, "occurred_before": -3}, {"call"}),
]


@pytest.mark.parametrize(
    ("params", "expected"), ACTIVITY_FILTERS, ids=[str(p) for p, _ in ACTIVITY_FILTERS]
)
def test_the_activity_list_filters(request, admin, activities, params, expected):
    _records, links = activities
    query = {}
    for name, value in params.items():
        if name == "owner":
            value = request.getfixturevalue(value).pk
        elif name in links:
            value = links[name].pk
        elif name in {"due_before", "occurred_after", "occurred_before"}:
            value = (timezone.now() + datetime.timedelta(days=value)).isoformat()
        query[name] = value

    items = Api(admin).get("/activities", query).json()["items"]

    assert {item["subject"] for item in items} == expected


@pytest.mark.parametrize("ordering", ["due_at", "-due_at"])
def test_ordering_by_a_field_that_may_be_empty_is_refused(api, ordering):
    response = api.get("/activities", {"ordering": ordering})

    assert field_errors(problem(response, 422)) == {
        "ordering": ["Order by one of: -occurred_at, occurred_at, -created_at, created_at."]
    }


# --- timeline pages ------------------------------------------------------------------


def _timeline_walk(api, lead, limit):
    entries = []
    response = api.get(f"/leads/{lead.pk}/timeline", {"limit": limit})
    for _page in range(20):
        body = response.json()
        entries += [
            (item["type"], (item["activity"] or {}).get("id"), item["at"]) for item in body["items"]
        ]
        if body["next"] is None:
            return entries
        response = api.get(body["next"])
    raise AssertionError("the timeline pages never end")


def test_timeline_pages_follow_next_to_the_oldest_entry(api, rep):
    lead = LeadFactory(owner=rep)
    now = timezone.now()
    activities = [
        ActivityFactory(owner=rep, lead=lead, occurred_at=now - datetime.timedelta(hours=h))
        for h in (5, 1, 4, 2, 3)
    ]

    entries = _timeline_walk(api, lead, limit=2)

    newest_first = sorted(activities, key=lambda a: a.occurred_at, reverse=True)
    assert [activity_id for _type, activity_id, _at in entries] == [a.pk for a in newest_first]


def test_timeline_pages_keep_entries_that_share_a_time(api, rep):
    lead = LeadFactory(owner=rep)
    moment = timezone.now() - datetime.timedelta(days=1)
    activities = [ActivityFactory(owner=rep, lead=lead, occurred_at=moment) for _ in range(4)]

    entries = _timeline_walk(api, lead, limit=2)

    assert sorted(activity_id for _type, activity_id, _at in entries) == sorted(
        a.pk for a in activities
    )


def test_a_timeline_limit_above_200_is_refused(api, rep):
    lead = LeadFactory(owner=rep)

    body = problem(api.get(f"/leads/{lead.pk}/timeline", {"limit": 201}), 422)

    assert field_errors(body) == {"limit": ["Input should be less than or equal to 200"]}
