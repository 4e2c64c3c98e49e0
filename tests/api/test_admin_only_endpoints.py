"""The administrators' endpoints refuse everyone else before they read the request: a rep
sending a broken body or a bad id learns that the endpoint is not for them (403), not
what was wrong with the input (422), by token and by session alike."""

import pytest
from django.test import Client

from tests.api.helpers import Api, field_errors, problem

# (method, path, a body the endpoint refuses as invalid)
ADMIN_ONLY = [
    ("post", "/users", {"username": "", "role": "emperor"}),
    ("patch", "/users/0", {"is_active": "sometimes"}),
    ("post", "/teams", {"name": 42, "colour": "red"}),
    ("patch", "/teams/0", {"manager_id": "nobody"}),
    ("delete", "/teams/0", None),
    ("post", "/pipelines", {"name": "", "stages": "many"}),
    ("patch", "/pipelines/0", {"is_default": "perhaps"}),
    ("delete", "/pipelines/0", None),
    ("put", "/pipelines/0/stages", {"stages": "all of them"}),
    ("post", "/lost-reasons", {"label": ["Price"]}),
    ("patch", "/lost-reasons/0", {"position": -1}),
    ("post", "/disqualification-reasons", {"text": "Spam"}),
    ("patch", "/disqualification-reasons/0", {"is_active": "maybe"}),
    ("delete", "/disqualification-reasons/0", None),
    ("put", "/conversion-policy", {"require_complete_qualification": "sometimes"}),
]


def send(api: Api, method: str, path: str, body):
    return api.delete(path) if method == "delete" else getattr(api, method)(path, body)


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ONLY)
def test_a_rep_is_refused_before_the_input_is_read(rep, method, path, body):
    response = send(Api(rep), method, path, body)

    refused = problem(response, 403)
    assert refused["type"] == "urn:vorsprung:problem:not-allowed"
    assert refused["detail"] == "Only administrators may do this."
    assert "errors" not in refused


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ONLY)
def test_an_administrator_gets_the_validation_errors(admin, method, path, body):
    response = send(Api(admin), method, path, body)

    assert field_errors(problem(response, 422))


def test_a_rep_logged_in_in_the_browser_is_refused_the_same_way(rep):
    browser = Client()
    browser.force_login(rep)
    browser.get("/")  # sets the CSRF cookie
    api = Api(client=browser)
    api.headers["HTTP_X_CSRFTOKEN"] = browser.cookies["csrftoken"].value

    response = api.post("/teams", {"name": 42})

    assert problem(response, 403)["detail"] == "Only administrators may do this."


def test_without_credentials_it_is_still_a_401(anonymous):
    assert problem(anonymous.post("/teams", {"name": 42}), 401)
