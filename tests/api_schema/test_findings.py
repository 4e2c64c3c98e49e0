"""What schemathesis found, pinned down: each refusal with the message a client sees."""

import json

import pytest
from django.test import Client

from tests.factories import AdminFactory, LeadFactory
from vorsprung.accounts.tokens import api_token_create

PROBLEM = "application/problem+json"


@pytest.fixture
def client(db, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    _, token = api_token_create(actor=None, user=AdminFactory())
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    return response.json()


def test_problem_responses_are_documented_as_problem_json(client):
    document = client.get("/api/v1/openapi.json").json()
    responses = document["paths"]["/api/v1/leads/{id}"]["get"]["responses"]
    assert list(responses["200"]["content"]) == ["application/json"]
    assert list(responses["404"]["content"]) == [PROBLEM]
    assert "401" in document["paths"]["/api/v1/users/me"]["get"]["responses"]


@pytest.mark.parametrize("path", ["/api/v1/leads/abc", "/api/v1/leads/1/nothing", "/api/v1/lead"])
def test_a_path_that_names_no_endpoint_is_a_404_problem(client, path):
    body = problem(client.get(path), 404)
    assert body["type"] == "urn:vorsprung:problem:no-such-endpoint"
    assert body["detail"] == "No such endpoint."


def test_ids_beyond_64_bits_are_refused(client):
    body = problem(client.get("/api/v1/leads", {"owner": 2**64}), 422)
    assert body["errors"][0]["field"] == "owner.0"
    assert (
        body["errors"][0]["message"] == "Input should be less than or equal to 9223372036854775807"
    )
    problem(client.get(f"/api/v1/leads/{2**64}"), 422)


def test_text_with_nul_characters_is_refused(client):
    body = problem(client.get("/api/v1/organizations", {"country": "D\x00E"}), 422)
    assert body["errors"] == [
        {"field": "country", "message": "Text may not contain NUL characters."}
    ]
    response = client.post(
        "/api/v1/leads",
        json.dumps({"last_name": "Nul", "attributes": {"note": "a\x00b"}}),
        content_type="application/json",
    )
    assert problem(response, 422)["errors"] == [
        {"field": "attributes", "message": "Text may not contain NUL characters."}
    ]


def test_any_utc_offset_is_accepted_and_stored_in_utc(client):
    lead = LeadFactory()
    response = client.get("/api/v1/activities", {"due_before": "2030-01-01T12:00:00+16:06"})
    assert response.status_code == 200
    response = client.patch(
        f"/api/v1/leads/{lead.pk}",
        json.dumps({"next_follow_up_at": "2030-01-01T20:00:00+16:00"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["next_follow_up_at"] == "2030-01-01T04:00:00Z"


def test_a_date_and_time_beyond_the_calendar_in_utc_is_refused(client):
    body = problem(client.get("/api/v1/leads", {"created_after": "0001-01-01T00:00:00+05:00"}), 422)
    assert body["errors"] == [
        {"field": "created_after", "message": "Enter a date between 1900-01-01 and 2199-12-31."}
    ]
