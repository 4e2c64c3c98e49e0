"""Who gets in: personal tokens (valid, unknown, revoked, expired, of a deactivated user),
browser sessions with and without their CSRF token, and nobody at all."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.helpers import Api, problem
from tests.factories import LeadFactory
from vorsprung.accounts.models import ApiToken, User
from vorsprung.accounts.tokens import api_token_create, api_token_revoke
from vorsprung.leads.models import Lead

UNAUTHENTICATED = "Send a valid API token (Authorization: Bearer …) or log in."
NEW_LEAD = json.dumps({"last_name": "Adler"})


def assert_unauthenticated(response):
    body = problem(response, 401)
    assert body["type"] == "urn:vorsprung:problem:unauthenticated"
    assert body["title"] == "Authentication required"
    assert body["detail"] == UNAUTHENTICATED
    assert response["WWW-Authenticate"] == 'Bearer realm="vorsprung"'


# --- tokens --------------------------------------------------------------------------


def test_a_valid_token_authenticates_and_notes_when_it_was_used(rep):
    record, token = api_token_create(actor=None, user=rep)

    response = Api(token=token).get("/users/me")

    assert response.status_code == 200
    assert response.json()["id"] == rep.pk
    assert ApiToken.objects.get(pk=record.pk).last_used_at is not None


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer vsp_00000000_not-a-real-secret",
        "Bearer not-even-our-format",
        "Bearer ",
        "Basic cmVwOnNlY3JldC1wYXNzLTEyMw==",
        "vsp_00000000_no-scheme",
    ],
    ids=["unknown", "foreign-format", "empty", "basic-auth", "no-scheme"],
)
def test_anything_but_a_known_token_is_401(anonymous, rep, authorization):
    assert_unauthenticated(anonymous.get("/leads", HTTP_AUTHORIZATION=authorization))


def test_a_revoked_token_is_401(rep):
    record, token = api_token_create(actor=None, user=rep)
    api = Api(token=token)
    assert api.get("/leads").status_code == 200

    api_token_revoke(actor=None, token=record)

    assert_unauthenticated(api.get("/leads"))
    assert_unauthenticated(api.post("/leads", {"last_name": "Adler"}))
    assert not Lead.objects.exists()


def test_an_expired_token_is_401(rep):
    record, token = api_token_create(
        actor=None, user=rep, expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    api = Api(token=token)
    assert api.get("/leads").status_code == 200

    ApiToken.objects.filter(pk=record.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert_unauthenticated(api.get("/leads"))


def test_the_token_of_a_deactivated_user_is_401(rep):
    api = Api(rep)
    User.objects.filter(pk=rep.pk).update(is_active=False)

    assert_unauthenticated(api.get("/users/me"))


@pytest.mark.parametrize("door", ["api", "admin"])
def test_a_token_stays_dead_when_its_user_is_reactivated(rep, admin, door):
    api = Api(rep)
    assert api.get("/users/me").status_code == 200

    if door == "api":
        Api(admin).patch(f"/users/{rep.pk}", {"is_active": False})
        Api(admin).patch(f"/users/{rep.pk}", {"is_active": True})
    else:
        admin.is_superuser = admin.is_staff = True
        admin.save()
        site = Client()
        site.force_login(admin)
        url = f"/admin/accounts/user/{rep.pk}/change/"
        form = site.get(url).context["adminform"].form
        data = {
            name: "on" if value is True else value
            for name in form.fields
            if (value := form[name].value()) not in (None, False, [])
        }
        # Shown read-only: the form does not take it.
        data.pop("date_joined", None)
        for active in (False, True):
            data["is_active"] = "on" if active else ""
            assert site.post(url, data).status_code == 302

    assert User.objects.get(pk=rep.pk).is_active
    assert_unauthenticated(api.get("/users/me"))
    token = ApiToken.objects.get(user=rep)
    assert token.revoked_at is not None
    assert Api(rep).get("/users/me").status_code == 200  # a new token works


# --- browser sessions ----------------------------------------------------------------


@pytest.fixture
def browser(rep):
    """A logged-in browser that enforces CSRF checks, as a real one does."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    return client


def csrf_token(client: Client) -> str:
    """The CSRF token a page of the application hands the browser."""
    client.get("/admin/login/")
    return client.cookies["csrftoken"].value


def test_a_session_reads_without_a_csrf_token(browser, rep):
    LeadFactory(owner=rep)

    response = browser.get("/api/v1/leads")

    assert response.status_code == 200
    assert len(response.json()["items"]) == 1


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_a_session_write_without_the_csrf_token_is_403(browser, rep, method):
    lead = LeadFactory(owner=rep, job_title="CTO")
    path = "/api/v1/leads" if method == "post" else f"/api/v1/leads/{lead.pk}"
    body = NEW_LEAD if method == "post" else json.dumps({"job_title": "CEO"})

    response = getattr(browser, method)(path, body, content_type="application/json")

    refusal = problem(response, 403)
    assert refusal["title"] == "Forbidden"
    assert refusal["detail"] == (
        "The CSRF token is missing or wrong: send the csrftoken cookie's value in the "
        "X-CSRFToken header, or use an API token instead of the session."
    )
    assert Lead.objects.count() == 1
    assert Lead.objects.get(pk=lead.pk).job_title == "CTO"


def test_a_session_write_with_a_wrong_csrf_token_is_403(browser):
    csrf_token(browser)

    response = browser.post(
        "/api/v1/leads", NEW_LEAD, content_type="application/json", HTTP_X_CSRFTOKEN="x" * 32
    )

    assert problem(response, 403)["detail"] == (
        "The CSRF token is missing or wrong: send the csrftoken cookie's value in the "
        "X-CSRFToken header, or use an API token instead of the session."
    )
    assert not Lead.objects.exists()


def test_a_session_write_with_the_csrf_token_succeeds(browser, rep):
    token = csrf_token(browser)

    response = browser.post(
        "/api/v1/leads", NEW_LEAD, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 201, response.content
    assert Lead.objects.get().owner == rep


def test_the_session_of_a_deactivated_user_is_401(browser, rep):
    User.objects.filter(pk=rep.pk).update(is_active=False)

    assert_unauthenticated(browser.get("/api/v1/leads"))


def test_without_any_credentials_every_resource_is_401(anonymous):
    for path in (
        "/leads",
        "/contacts",
        "/organizations",
        "/opportunities",
        "/activities",
        "/pipelines",
        "/users",
        "/users/me",
        "/teams",
    ):
        assert_unauthenticated(anonymous.get(path))


# --- bodies --------------------------------------------------------------------------


def test_malformed_json_says_so(api):
    body = problem(api.raw("post", "/leads", '{"last_name": "Adler"'), 400)

    assert body["type"] == "urn:vorsprung:problem:malformed-json"
    assert body["detail"] == "The request body is not valid JSON."


def test_a_body_that_is_no_object_is_422(api):
    body = problem(api.raw("post", "/leads", "[1, 2]"), 422)

    assert body["errors"] == [
        {
            "field": "",
            "message": "Input should be a valid dictionary or object to extract fields from",
        }
    ]
