"""Who may do what over the API: viewer × resource × action, with the status each gets.

The records belong to ``teammate``, a sales rep in team Nord. ``rep`` is in the same
team, ``manager`` manages it, ``admin`` is an administrator, ``other_rep`` works in team
Süd. A record someone may not see does not exist for them (404); a record they see but
may not delete is a 403; without credentials everything is a 401.
"""

import datetime

import pytest
from django.utils import timezone

from tests.api.helpers import Api, problem
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
    stage_named,
)
from vorsprung.accounts.models import Team, User
from vorsprung.sales.models import Pipeline
from vorsprung.sales.services import pipeline_create

VIEWERS = ["rep", "manager", "admin", "other_rep", "anonymous"]


def _lead(owner, **fields):
    return LeadFactory(owner=owner, company="Adler Werke", **fields)


def _opportunity(owner):
    return OpportunityFactory(owner=owner, organization=OrganizationFactory(owner=owner))


def _task(owner):
    return ActivityFactory(
        owner=owner,
        lead=LeadFactory(owner=owner),
        kind="task",
        done=False,
        due_at=timezone.now() + datetime.timedelta(days=1),
    )


# resource: (path, make a record owned by the given user)
RESOURCES = {
    "leads": ("/leads", _lead),
    "contacts": ("/contacts", lambda owner: ContactFactory(owner=owner)),
    "organizations": ("/organizations", lambda owner: OrganizationFactory(owner=owner)),
    "opportunities": ("/opportunities", _opportunity),
    "activities": ("/activities", _task),
}
UPDATES = {
    "leads": {"job_title": "CTO"},
    "contacts": {"job_title": "CTO"},
    "organizations": {"city": "Bremen"},
    "opportunities": {"next_step": "Call back"},
    "activities": {"subject": "Call back"},
}

# Operations beyond CRUD: (resource, name, method, path suffix, body, make, success status)
OPERATIONS = [
    ("leads", "status", "post", "/status", {"status": "working"}, None, 200),
    ("leads", "disqualify", "post", "/disqualify", {"reason": "No budget"}, None, 200),
    (
        "leads",
        "reopen",
        "post",
        "/reopen",
        None,
        lambda owner: _lead(owner, status="unqualified", disqualification_reason="No need"),
        200,
    ),
    ("leads", "conversion-matches", "get", "/conversion-matches", None, None, 200),
    ("leads", "convert", "post", "/convert", {"accept_qualification_gaps": True}, None, 201),
    ("leads", "timeline", "get", "/timeline", None, None, 200),
    ("contacts", "timeline", "get", "/timeline", None, None, 200),
    ("organizations", "timeline", "get", "/timeline", None, None, 200),
    ("opportunities", "stage", "post", "/stage", {"stage_id": "Proposal"}, None, 200),
    ("opportunities", "won", "post", "/won", None, None, 200),
    ("opportunities", "lost", "post", "/lost", {"reason": "Too expensive"}, None, 200),
    ("opportunities", "timeline", "get", "/timeline", None, None, 200),
    ("activities", "complete", "post", "/complete", {"outcome": "connected"}, None, 200),
]

REFUSED = {"other_rep": 404, "anonymous": 401}


def expected(viewer: str, allowed: int, *, rep_refused: int | None = None) -> int:
    if viewer in REFUSED:
        return REFUSED[viewer]
    if viewer == "rep" and rep_refused is not None:
        return rep_refused
    return allowed


def client_for(request, viewer: str) -> Api:
    return Api() if viewer == "anonymous" else Api(request.getfixturevalue(viewer))


def assert_refusal(response, status: int) -> None:
    body = problem(response, status)
    detail = {
        401: "Send a valid API token (Authorization: Bearer …) or log in.",
        403: "Only managers and administrators may delete records.",
        404: "No such record, or you may not see it.",
    }[status]
    assert body["detail"] == detail


# --- owned records -------------------------------------------------------------------

LIST_CASES = [
    pytest.param(resource, viewer, id=f"{resource}-{viewer}")
    for resource in RESOURCES
    for viewer in VIEWERS
]


@pytest.mark.parametrize(("resource", "viewer"), LIST_CASES)
def test_list(request, teammate, resource, viewer):
    path, make = RESOURCES[resource]
    record = make(teammate)

    response = client_for(request, viewer).get(path)

    if viewer == "anonymous":
        assert_refusal(response, 401)
        return
    ids = [item["id"] for item in response.json()["items"]]
    assert (record.pk in ids) is (viewer != "other_rep")


UNASSIGNED_CASES = [
    pytest.param(resource, viewer, id=f"{resource}-{viewer}")
    for resource in ("leads", "contacts", "organizations", "opportunities")
    for viewer in ("rep", "manager", "admin", "other_rep")
]


@pytest.mark.parametrize(("resource", "viewer"), UNASSIGNED_CASES)
def test_unassigned_records_are_the_queue_of_managers_and_admins(request, db, resource, viewer):
    path, make = RESOURCES[resource]
    record = make(None)
    api = client_for(request, viewer)
    sees = viewer in {"manager", "admin"}

    ids = [item["id"] for item in api.get(path).json()["items"]]

    assert (record.pk in ids) is sees
    assert api.get(f"{path}/{record.pk}").status_code == (200 if sees else 404)


CRUD_CASES = [
    pytest.param(resource, action, viewer, status, id=f"{resource}-{action}-{viewer}")
    for resource in RESOURCES
    for action, allowed, rep_refused in (
        ("retrieve", 200, None),
        ("update", 200, None),
        ("delete", 204, 403),
    )
    for viewer in VIEWERS
    for status in [expected(viewer, allowed, rep_refused=rep_refused)]
]


@pytest.mark.parametrize(("resource", "action", "viewer", "status"), CRUD_CASES)
def test_retrieve_update_delete(request, teammate, resource, action, viewer, status):
    path, make = RESOURCES[resource]
    record = make(teammate)
    api = client_for(request, viewer)
    detail = f"{path}/{record.pk}"

    response = {
        "retrieve": lambda: api.get(detail),
        "update": lambda: api.patch(detail, UPDATES[resource]),
        "delete": lambda: api.delete(detail),
    }[action]()

    assert response.status_code == status, response.content
    model = type(record)
    if status >= 400:
        assert_refusal(response, status)
        assert model.objects.get(pk=record.pk).version == record.version
    elif action == "delete":
        assert not model.objects.filter(pk=record.pk).exists()
    elif action == "update":
        assert model.objects.get(pk=record.pk).version == record.version + 1


OPERATION_CASES = [
    pytest.param(
        resource,
        suffix,
        method,
        body,
        make,
        viewer,
        expected(viewer, allowed),
        id=f"{resource}-{name}-{viewer}",
    )
    for resource, name, method, suffix, body, make, allowed in OPERATIONS
    for viewer in VIEWERS
]


@pytest.mark.parametrize(
    ("resource", "suffix", "method", "body", "make", "viewer", "status"), OPERATION_CASES
)
def test_operations(request, teammate, resource, suffix, method, body, make, viewer, status):
    path, default_make = RESOURCES[resource]
    record = (make or default_make)(teammate)
    api = client_for(request, viewer)
    if body and "stage_id" in body:
        body = {"stage_id": stage_named(body["stage_id"]).pk}
    url = f"{path}/{record.pk}{suffix}"

    response = api.get(url) if method == "get" else api.post(url, body)

    assert response.status_code == status, response.content
    if status >= 400:
        assert_refusal(response, status)
        assert type(record).objects.get(pk=record.pk).version == record.version


# --- users, teams and pipelines: everyone reads, administrators write ----------------

STAGES = [
    {"name": "Talking", "probability": 20, "forecast_category": "pipeline"},
    {"name": "Signed", "probability": 100, "forecast_category": "closed", "is_won": True},
    {"name": "Gone", "probability": 0, "forecast_category": "omitted", "is_lost": True},
]


@pytest.fixture
def shared_records(teammate):
    west = Team.objects.create(name="West")
    renewals = pipeline_create(actor=None, name="Renewals", stages=[dict(s) for s in STAGES])
    return {"user": teammate, "team": west, "pipeline": renewals}


# resource: action → (method, path with {id}, body, success status)
SHARED = {
    "users": {
        "list": ("get", "/users", None, 200),
        "retrieve": ("get", "/users/{id}", None, 200),
        "create": ("post", "/users", {"username": "dora"}, 201),
        "update": ("patch", "/users/{id}", {"first_name": "Dora"}, 200),
    },
    "teams": {
        "list": ("get", "/teams", None, 200),
        "retrieve": ("get", "/teams/{id}", None, 200),
        "create": ("post", "/teams", {"name": "Ost"}, 201),
        "update": ("patch", "/teams/{id}", {"name": "Westfalen"}, 200),
        "delete": ("delete", "/teams/{id}", None, 204),
    },
    "pipelines": {
        "list": ("get", "/pipelines", None, 200),
        "retrieve": ("get", "/pipelines/{id}", None, 200),
        "create": ("post", "/pipelines", {"name": "Partners", "stages": STAGES}, 201),
        "update": ("patch", "/pipelines/{id}", {"name": "Renewals 2030"}, 200),
        "delete": ("delete", "/pipelines/{id}", None, 204),
    },
}
MODELS = {"users": User, "teams": Team, "pipelines": Pipeline}
RECORD_OF = {"users": "user", "teams": "team", "pipelines": "pipeline"}


def shared_expected(viewer: str, action: str, allowed: int) -> int:
    if viewer == "anonymous":
        return 401
    if action in {"list", "retrieve"} or viewer == "admin":
        return allowed
    return 403


SHARED_CASES = [
    pytest.param(
        resource,
        action,
        viewer,
        shared_expected(viewer, action, spec[3]),
        id=f"{resource}-{action}-{viewer}",
    )
    for resource, actions in SHARED.items()
    for action, spec in actions.items()
    for viewer in VIEWERS
]


@pytest.mark.parametrize(("resource", "action", "viewer", "status"), SHARED_CASES)
def test_users_teams_and_pipelines(request, shared_records, resource, action, viewer, status):
    method, path, body, _allowed = SHARED[resource][action]
    record = shared_records[RECORD_OF[resource]]
    api = client_for(request, viewer)
    model = MODELS[resource]
    before = list(model.objects.order_by("pk").values())

    url = path.format(id=record.pk)
    response = (
        getattr(api, method)(url)
        if method in {"get", "delete"}
        else getattr(api, method)(url, body)
    )

    assert response.status_code == status, response.content
    if status == 403:
        body = problem(response, 403)
        assert body["type"] == "urn:vorsprung:problem:not-allowed"
        assert body["detail"] == "Only administrators may do this."
    elif status == 401:
        assert_refusal(response, 401)
    if status >= 400:
        assert list(model.objects.order_by("pk").values()) == before
