"""Operations honour If-Match like PATCH does, answer with the record's new ETag, and the
OpenAPI document says so for every operation that changes a versioned record."""

import pytest

from tests.api.helpers import Api, problem
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrganizationFactory,
    stage_named,
)
from vorsprung.activities.models import Activity
from vorsprung.leads.models import Lead
from vorsprung.sales.models import Opportunity

STALE = (
    "This record was changed by someone else (version {current}, you edited version "
    "{stale}). Reload it and apply your change again."
)


def _lead(rep, **fields):
    return LeadFactory(owner=rep, **fields)


def _opportunity(rep, **fields):
    return OpportunityFactory(owner=rep, organization=OrganizationFactory(owner=rep), **fields)


OPERATIONS = {
    "lead status": (_lead, {}, "/leads/{id}/status", {"status": "working"}),
    "lead disqualify": (_lead, {}, "/leads/{id}/disqualify", {"reason": "No budget"}),
    "lead reopen": (
        _lead,
        {"status": "unqualified", "disqualification_reason": "No budget"},
        "/leads/{id}/reopen",
        None,
    ),
    "lead convert": (
        _lead,
        {"company": "Adler Werke"},
        "/leads/{id}/convert",
        {"accept_qualification_gaps": True},
    ),
    "opportunity stage": (_opportunity, {}, "/opportunities/{id}/stage", "proposal"),
    "opportunity won": (_opportunity, {}, "/opportunities/{id}/won", None),
    "opportunity lost": (_opportunity, {}, "/opportunities/{id}/lost", {"reason": "Price"}),
    "activity complete": (
        lambda rep, **fields: ActivityFactory(owner=rep, kind="task", done=False, **fields),
        {},
        "/activities/{id}/complete",
        {},
    ),
    "organization lifecycle": (
        lambda rep, **fields: OrganizationFactory(owner=rep, **fields),
        {},
        "/organizations/{id}/lifecycle",
        {"lifecycle": "partner"},
    ),
}


def _call(api, rep, name, **headers):
    make, fields, path, body = OPERATIONS[name]
    record = make(rep, **fields)
    if body == "proposal":
        body = {"stage_id": stage_named("Proposal").pk}
    return record, api.post(path.format(id=record.pk), body, **headers)


@pytest.mark.parametrize("name", OPERATIONS)
def test_an_operation_with_a_stale_if_match_is_412_and_changes_nothing(api, rep, name):
    record, response = _call(api, rep, name, HTTP_IF_MATCH='"7"')

    body = problem(response, 412)
    assert body["detail"] == STALE.format(current=record.version, stale=7)
    stored = type(record).objects.get(pk=record.pk)
    assert stored.version == record.version


@pytest.mark.parametrize("name", [n for n in OPERATIONS if n != "lead convert"])
def test_an_operation_with_the_current_if_match_answers_the_new_etag(api, rep, name):
    make, fields, path, body = OPERATIONS[name]
    record = make(rep, **fields)
    if body == "proposal":
        body = {"stage_id": stage_named("Proposal").pk}

    response = api.post(path.format(id=record.pk), body, HTTP_IF_MATCH=f'"{record.version}"')

    assert response.status_code == 200, response.content
    stored = type(record).objects.get(pk=record.pk)
    assert stored.version > record.version
    assert response["ETag"] == f'"{stored.version}"'
    assert response.json()["version"] == stored.version


def test_a_conversion_names_the_new_opportunity_in_location(api, rep):
    lead = LeadFactory(owner=rep, company="Adler Werke")

    response = api.post(
        f"/leads/{lead.pk}/convert",
        {"accept_qualification_gaps": True},
        HTTP_IF_MATCH=f'"{lead.version}"',
    )

    assert response.status_code == 201, response.content
    opportunity = Opportunity.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/opportunities/{opportunity.pk}"
    assert Lead.objects.get(pk=lead.pk).status == "converted"


def test_a_conversion_without_an_opportunity_names_the_contact(api, rep):
    lead = LeadFactory(owner=rep, company="Adler Werke")

    response = api.post(
        f"/leads/{lead.pk}/convert",
        {"accept_qualification_gaps": True, "create_opportunity": False},
    )

    contact_id = response.json()["contact"]["id"]
    assert response["Location"] == f"http://testserver/api/v1/contacts/{contact_id}"


VERSIONED_WRITES = [
    ("/api/v1/leads/{id}", "patch"),
    ("/api/v1/leads/{id}", "delete"),
    ("/api/v1/leads/{id}/status", "post"),
    ("/api/v1/leads/{id}/disqualify", "post"),
    ("/api/v1/leads/{id}/reopen", "post"),
    ("/api/v1/leads/{id}/convert", "post"),
    ("/api/v1/contacts/{id}", "patch"),
    ("/api/v1/organizations/{id}", "patch"),
    ("/api/v1/opportunities/{id}", "patch"),
    ("/api/v1/opportunities/{id}/stage", "post"),
    ("/api/v1/opportunities/{id}/won", "post"),
    ("/api/v1/opportunities/{id}/lost", "post"),
    ("/api/v1/activities/{id}", "patch"),
    ("/api/v1/activities/{id}/complete", "post"),
    ("/api/v1/organizations/{id}/lifecycle", "post"),
    ("/api/v1/opportunities/{id}/contact-roles", "post"),
    ("/api/v1/opportunities/{id}/contact-roles/{role_id}", "delete"),
]


@pytest.fixture
def document(api):
    return api.get("/openapi.json").json()


@pytest.mark.parametrize(("path", "method"), VERSIONED_WRITES)
def test_the_document_declares_if_match_and_412(document, path, method):
    operation = document["paths"][path][method]

    headers = [p for p in operation["parameters"] if p["in"] == "header"]
    assert [h["name"] for h in headers] == ["If-Match"]
    assert "412" in operation["responses"]
    if (
        method == "post"
        and path.endswith(
            (
                "/stage",
                "/won",
                "/lost",
                "/status",
                "/disqualify",
                "/reopen",
                "/complete",
                "/lifecycle",
            )
        )
        or method == "patch"
    ):
        assert operation["responses"]["200"]["headers"]["ETag"]["required"] is True


def test_the_document_declares_etag_and_location_where_they_are_sent(document):
    assert "ETag" in document["paths"]["/api/v1/leads/{id}"]["get"]["responses"]["200"]["headers"]
    created = document["paths"]["/api/v1/leads"]["post"]["responses"]["201"]["headers"]
    assert set(created) == {"ETag", "Location"}
    team_created = document["paths"]["/api/v1/teams"]["post"]["responses"]["201"]["headers"]
    assert set(team_created) == {"Location"}  # teams have no version
    convert = document["paths"]["/api/v1/leads/{id}/convert"]["post"]["responses"]["201"]
    assert set(convert["headers"]) == {"Location"}


@pytest.mark.parametrize(
    "path",
    [p for p in ("/api/v1/leads", "/api/v1/teams", "/api/v1/leads/{id}/timeline")],
)
def test_the_document_declares_next_and_next_cursor_on_lists(document, path):
    schema = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    name = schema["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"next", "next_cursor"} <= set(document["components"]["schemas"][name]["properties"])


def test_activity_completion_with_a_stale_version_keeps_it_open(api, rep):
    activity = ActivityFactory(owner=rep, kind="task", done=False)

    problem(api.post(f"/activities/{activity.pk}/complete", {}, HTTP_IF_MATCH='"9"'), 412)

    assert Activity.objects.get(pk=activity.pk).done is False


def test_a_stale_if_match_on_a_contact_role_change_is_412(api, rep):
    opportunity = _opportunity(rep)
    contact = ContactFactory(organization=opportunity.organization, owner=rep)
    path = f"/opportunities/{opportunity.pk}/contact-roles"

    stale = api.post(path, {"contact_id": contact.pk, "role": "user"}, HTTP_IF_MATCH='"9"')
    added = api.post(
        path, {"contact_id": contact.pk, "role": "user"}, HTTP_IF_MATCH=f'"{opportunity.version}"'
    )

    problem(stale, 412)
    assert added.status_code == 201, added.content
    location = added["Location"]
    assert location == f"http://testserver/api/v1{path}/{added.json()['id']}"
    assert api.get(location).json() == added.json()


@pytest.mark.parametrize(
    ("path", "body"),
    [("/tokens", {"name": "Laptop"}), ("/lost-reasons", {"label": "Came too late"})],
)
def test_created_tokens_and_reasons_name_their_place(admin, path, body):
    api = Api(admin)

    response = api.post(path, body)

    assert response.status_code == 201, response.content
    assert response["Location"] == f"http://testserver/api/v1{path}/{response.json()['id']}"
    assert api.get(response["Location"]).json()["id"] == response.json()["id"]
