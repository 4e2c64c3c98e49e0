"""An API client that speaks JSON with a bearer token, and the shape of a problem."""

import json

from django.test import Client

from vorsprung.accounts.tokens import api_token_create

BASE = "/api/v1"
PROBLEM_TYPE = "application/problem+json"


def url(path: str) -> str:
    return path if path.startswith(("http://", "/api/")) else f"{BASE}{path}"


class Api:
    """Django's test client, authenticated with a personal token unless ``user`` is None."""

    def __init__(self, user=None, *, token: str | None = None, client: Client | None = None):
        self.user = user
        self.client = client or Client()
        self.headers = {}
        if token is None and user is not None:
            _record, token = api_token_create(actor=None, user=user)
        if token is not None:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    def get(self, path: str, params: dict | None = None, **headers):
        return self.client.get(url(path), params or {}, **self.headers, **headers)

    def post(self, path: str, body=None, **headers):
        return self._send("post", path, body, headers)

    def patch(self, path: str, body=None, **headers):
        return self._send("patch", path, body, headers)

    def put(self, path: str, body=None, **headers):
        return self._send("put", path, body, headers)

    def delete(self, path: str, **headers):
        return self.client.delete(url(path), **self.headers, **headers)

    def raw(self, method: str, path: str, data: bytes | str, **headers):
        return getattr(self.client, method)(
            url(path), data, content_type="application/json", **self.headers, **headers
        )

    def _send(self, method, path, body, headers):
        data = "" if body is None else json.dumps(body)
        return self.raw(method, path, data, **headers)


def problem(response, status: int) -> dict:
    """The problem document of ``response``, after checking its status and shape."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == PROBLEM_TYPE
    body = response.json()
    assert body["status"] == status
    assert set(body) >= {"type", "title", "status", "detail"}
    assert body["type"].startswith("urn:vorsprung:problem:")
    return body


def field_errors(body: dict) -> dict[str, list[str]]:
    """errors[] as field → messages."""
    errors: dict[str, list[str]] = {}
    for error in body.get("errors") or []:
        errors.setdefault(error["field"], []).append(error["message"])
    return errors
