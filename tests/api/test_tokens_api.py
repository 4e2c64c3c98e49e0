"""/api/v1/tokens: a user creates, lists and revokes their own personal API tokens; an
administrator those of anyone. The secret is shown once, in the answer that creates it."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.helpers import Api, field_errors, problem
from vorsprung.accounts.models import ApiToken
from vorsprung.accounts.tokens import api_token_create

OWN_ONLY = "You may manage only your own API tokens."


def test_a_user_creates_a_token_that_works_and_is_shown_once(api, rep):
    response = api.post("/tokens", {"name": "Laptop"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["user_id"], body["is_active"]) == ("Laptop", rep.pk, True)
    assert body["token"].startswith(f"vsp_{body['prefix']}_")
    assert Api(token=body["token"]).get("/users/me").json()["id"] == rep.pk
    listed = api.get("/tokens").json()["items"]
    assert body["token"] not in str(listed)
    assert "token" not in listed[0]


def test_a_user_lists_only_their_own_tokens(api, rep, teammate):
    api_token_create(actor=None, user=teammate)

    items = api.get("/tokens").json()["items"]

    assert {item["user_id"] for item in items} == {rep.pk}
    assert len(items) == ApiToken.objects.filter(user=rep).count()


def test_another_users_tokens_are_for_administrators(api, teammate):
    asked = api.get("/tokens", {"user": teammate.pk})
    everyone = api.get("/tokens", {"all_users": "true"})
    created = api.post("/tokens", {"user_id": teammate.pk})

    for response in (asked, everyone, created):
        assert problem(response, 403)["detail"] == OWN_ONLY
    assert not ApiToken.objects.filter(user=teammate).exists()


def test_an_administrator_manages_anyones_tokens(admin, rep, teammate):
    api = Api(admin)
    record, _token = api_token_create(actor=None, user=teammate)

    created = api.post("/tokens", {"user_id": rep.pk, "name": "Zapier"})
    of_teammate = api.get("/tokens", {"user": teammate.pk}).json()["items"]
    everyone = api.get("/tokens", {"all_users": "true"}).json()["items"]
    revoked = api.delete(f"/tokens/{record.pk}")

    assert (created.status_code, created.json()["user_id"]) == (201, rep.pk)
    assert [item["id"] for item in of_teammate] == [record.pk]
    assert {item["user_id"] for item in everyone} == {admin.pk, rep.pk, teammate.pk}
    assert revoked.status_code == 204
    assert ApiToken.objects.get(pk=record.pk).revoked_at is not None


def test_a_user_revokes_their_own_token_and_it_stops_working(rep):
    record, token = api_token_create(actor=None, user=rep)
    other_api = Api(rep)

    revoked = other_api.delete(f"/tokens/{record.pk}")
    again = other_api.delete(f"/tokens/{record.pk}")

    assert revoked.status_code == 204
    assert problem(again, 409)["detail"] == "This token is already revoked."
    assert problem(Api(token=token).get("/users/me"), 401)


def test_someone_elses_token_does_not_exist_for_a_user(api, teammate):
    record, token = api_token_create(actor=None, user=teammate)

    assert problem(api.delete(f"/tokens/{record.pk}"), 404)
    assert Api(token=token).get("/users/me").status_code == 200


def test_an_expiry_in_the_past_is_refused(api):
    past = (timezone.now() - datetime.timedelta(days=1)).isoformat()

    response = api.post("/tokens", {"expires_at": past})

    assert field_errors(problem(response, 422)) == {
        "expires_at": ["The expiry date lies in the past."]
    }


def test_the_token_list_costs_the_same_queries_for_3_and_30_tokens(api, rep):
    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert api.get("/tokens").status_code == 200
        return len(context)

    for _ in range(2):
        api_token_create(actor=None, user=rep)
    count()  # the token's first use is written down once
    small = count()
    for _ in range(27):
        api_token_create(actor=None, user=rep)
    assert count() == small
