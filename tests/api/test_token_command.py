"""`vorsprung token create|list|revoke`: the token printed once authenticates, the
database keeps only its hash, revoking it shuts the door."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.api.helpers import Api, problem
from tests.factories import UserFactory
from vorsprung.accounts.models import ApiToken


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


def test_create_prints_a_token_that_authenticates(alice):
    out, err = run("create", "alice", "--name", "laptop")

    token = out.strip()
    assert out == f"{token}\n"
    assert token.startswith("vsp_")
    record = ApiToken.objects.get()
    assert (record.user, record.name) == (alice, "laptop")
    assert token.startswith(f"vsp_{record.prefix}_")
    assert err.startswith(f"Token {record.prefix}… for alice created. It is shown only now")
    response = Api(token=token).get("/users/me")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_the_database_keeps_only_a_hash_of_the_token(alice):
    token = run("create", "alice")[0].strip()
    secret = token.rsplit("_", 1)[1]

    stored = [str(value) for row in ApiToken.objects.values() for value in row.values()]

    assert len(stored) > 5
    assert not any(token in value or secret in value for value in stored)


def test_list_shows_prefixes_and_states_but_no_secrets(alice):
    token = run("create", "alice", "--name", "laptop")[0].strip()
    prefix = ApiToken.objects.get().prefix

    out, _err = run("list", "alice")

    assert out.split() == [prefix, "alice", "laptop", "active"]
    assert token not in out


def test_revoke_makes_the_token_answer_401(alice):
    token = run("create", "alice")[0].strip()
    prefix = ApiToken.objects.get().prefix
    assert Api(token=token).get("/leads").status_code == 200

    out, _err = run("revoke", prefix)

    assert out == f"Revoked 1 token(s) with prefix {prefix}.\n"
    body = problem(Api(token=token).get("/leads"), 401)
    assert body["detail"] == "Send a valid API token (Authorization: Bearer …) or log in."
    assert run("list")[0].split()[-1] == "revoked/expired"


def test_revoking_a_token_twice_says_so(alice):
    run("create", "alice")
    prefix = ApiToken.objects.get().prefix
    run("revoke", prefix)

    with pytest.raises(CommandError) as exc:
        run("revoke", prefix)

    assert str(exc.value) == "This token is already revoked."


def test_create_for_an_unknown_user_is_refused(db):
    with pytest.raises(CommandError) as exc:
        run("create", "nobody")

    assert str(exc.value) == "No user named “nobody”."
    assert not ApiToken.objects.exists()


def test_create_for_a_deactivated_user_is_refused(db):
    UserFactory(username="gone", is_active=False)

    with pytest.raises(CommandError) as exc:
        run("create", "gone")

    assert str(exc.value) == "This user is deactivated."
    assert not ApiToken.objects.exists()


def test_revoke_of_an_unknown_prefix_is_refused(db):
    with pytest.raises(CommandError) as exc:
        run("revoke", "deadbeef")

    assert str(exc.value) == "No token with prefix “deadbeef”."
