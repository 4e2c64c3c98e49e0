"""Refusals that keep a user from losing sight of their own record, and methods a path
does not offer."""

import pytest

from tests.api.helpers import Api, field_errors, problem
from tests.factories import LeadFactory
from vorsprung.leads.models import Lead

NO_OWNER = (
    "Records without an owner are seen by managers only; name an owner or leave the field out."
)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/leads", {"last_name": "Berg"}),
        ("/organizations", {"name": "Fjord AS"}),
        ("/contacts", {"last_name": "Berg"}),
    ],
)
def test_a_rep_cannot_save_a_record_without_owner(rep, path, body):
    response = Api(rep).post(path, {**body, "owner_id": None})

    assert field_errors(problem(response, 422)) == {"owner_id": [NO_OWNER]}


def test_a_rep_cannot_take_the_owner_off_a_lead(rep):
    lead = LeadFactory(owner=rep)

    response = Api(rep).patch(f"/leads/{lead.pk}", {"owner_id": None})

    assert field_errors(problem(response, 422)) == {"owner_id": [NO_OWNER]}
    assert Lead.objects.get(pk=lead.pk).owner == rep


def test_a_manager_may_put_a_lead_back_in_the_unassigned_queue(manager, rep):
    lead = LeadFactory(owner=rep)

    response = Api(manager).patch(f"/leads/{lead.pk}", {"owner_id": None})

    assert response.status_code == 200
    assert response.json()["owner_id"] is None


def test_a_method_the_path_does_not_offer_is_a_problem(rep):
    lead = LeadFactory(owner=rep)

    response = Api(rep).raw("put", f"/leads/{lead.pk}", "{}")

    body = problem(response, 405)
    assert body["detail"] == "PUT is not allowed here; allowed: DELETE, GET, PATCH."
    assert response["Allow"] == "DELETE, GET, PATCH"


def test_a_manager_is_told_whom_they_may_assign(manager, other_rep):
    lead = LeadFactory(owner=manager)

    response = Api(manager).patch(f"/leads/{lead.pk}", {"owner_id": other_rep.pk})

    assert field_errors(problem(response, 422)) == {
        "owner_id": [
            f"You may not assign records to {other_rep} (user {other_rep.pk}): you may assign "
            "them to members of the teams you belong to or manage only."
        ]
    }


def test_a_deactivated_user_cannot_become_owner(admin, rep):
    lead = LeadFactory(owner=rep)
    rep.is_active = False
    rep.save()

    response = Api(admin).patch(f"/leads/{lead.pk}", {"owner_id": rep.pk})

    assert field_errors(problem(response, 422)) == {
        "owner_id": [f"{rep} (user {rep.pk}) is deactivated and cannot own records."]
    }


def test_an_unknown_owner_is_named_as_such(rep):
    lead = LeadFactory(owner=rep)

    response = Api(rep).patch(f"/leads/{lead.pk}", {"owner_id": 987654})

    assert field_errors(problem(response, 422)) == {"owner_id": ["No user with id 987654."]}
