"""The contract every owned record resource of the API keeps — list, cursor pages, create,
retrieve, PATCH with If-Match, delete, and their refusals — written once. Each resource's
test module subclasses ``RecordResourceContract`` and fills in its records, the way
NetBox's ``ViewTestCases`` are filled in per model."""

import base64
import datetime
import json

import pytest
from django.db import models
from django.utils import timezone

from tests.api.helpers import Api, field_errors, problem, url

STALE_VERSION = (
    "This record was changed by someone else (version 2, you edited version 1). "
    "Reload it and apply your change again."
)
NOT_FOUND = "No such record, or you may not see it."
INVALID_FIELDS = "The request has invalid fields."
UNKNOWN_FIELD = "This field does not exist or cannot be changed here."
BAD_CURSOR = "This cursor is not valid; start again from the first page."
OTHER_ORDERING_CURSOR = "This cursor belongs to another ordering; start again from the first page."
DELETE_REFUSED = "Only managers and administrators may delete records."

# Seven values with ties, assigned out of id order, so a page boundary falls inside a tie.
TIE_PATTERN = [3, 0, 6, 1, 5, 2, 4]
TEXT_VALUES = ["Adler", "Becker", "Becker", "Becker", "Cramer", "Dietz", "Dietz"]
STEP_OFFSETS = [0, 1, 1, 1, 2, 3, 3]


def encode_cursor(raw) -> str:
    return base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")


TAMPERED_CURSORS = [
    pytest.param(lambda o, other, v: "not-a-cursor", BAD_CURSOR, id="garbage"),
    pytest.param(lambda o, other, v: encode_cursor({"ordering": o}), BAD_CURSOR, id="not-a-list"),
    pytest.param(lambda o, other, v: encode_cursor([o, v, "x"]), BAD_CURSOR, id="text-as-id"),
    pytest.param(
        lambda o, other, v: encode_cursor([other, v, 1]), OTHER_ORDERING_CURSOR, id="other-ordering"
    ),
    pytest.param(
        lambda o, other, v: encode_cursor([o, None, 1]),
        BAD_CURSOR,
        id="null-value",
    ),
    pytest.param(lambda o, other, v: encode_cursor([o, v, 2**70]), BAD_CURSOR, id="huge-id"),
]


def walk(api: Api, path: str, params: dict) -> list[int]:
    """Every id a client sees following ``next`` from the first page to the last."""
    ids: list[int] = []
    response = api.get(path, params)
    for _page in range(100):
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [item["id"] for item in body["items"]]
        if body["next"] is None:
            return ids
        assert body["next"].startswith(f"http://testserver/api/v1{path}?")
        response = api.get(body["next"])
    raise AssertionError("the pages never end")


def values_for(field: models.Field) -> list:
    base = timezone.now().replace(microsecond=0) - datetime.timedelta(days=30)
    if isinstance(field, models.DateTimeField):
        return [base + datetime.timedelta(hours=step) for step in STEP_OFFSETS]
    if isinstance(field, models.DateField):
        return [base.date() + datetime.timedelta(days=step) for step in STEP_OFFSETS]
    return list(TEXT_VALUES)


def expected_order(records: list, field: str, ordering: str) -> list[int]:
    rows = sorted((getattr(r, field), r.pk) for r in records)
    ids = [pk for _value, pk in rows]
    return ids[::-1] if ordering.startswith("-") else ids


class RecordResourceContract:
    """Fill in ``path``, ``model``, ``orderings``, the bodies and ``make``."""

    path: str
    model: type[models.Model]
    orderings: tuple[str, ...]
    update_body: dict  # one field changed by PATCH
    wrong_type_body: dict
    wrong_type_errors: dict[str, list[str]]

    def make(self, owner, **fields):
        """A record owned by ``owner``, built through the factories."""
        raise NotImplementedError

    def create_body(self, owner) -> dict:
        """A valid body for POST, whose references ``owner`` may see."""
        raise NotImplementedError

    # --- helpers ---------------------------------------------------------------------

    def detail(self, record) -> str:
        return f"{self.path}/{record.pk}"

    def update_field(self) -> str:
        return next(iter(self.update_body))

    def stored(self, record):
        return self.model.objects.get(pk=record.pk)

    # --- list ------------------------------------------------------------------------

    def test_list_shows_the_records_the_user_may_see(self, api, rep, teammate, other_rep):
        mine, teammates = self.make(rep), self.make(teammate)
        self.make(other_rep)

        response = api.get(self.path)

        assert response.status_code == 200
        body = response.json()
        assert {item["id"] for item in body["items"]} == {mine.pk, teammates.pk}
        assert body["next"] is None

    def test_a_page_holds_50_records_unless_told_otherwise(self, api, rep):
        for _ in range(51):
            self.make(rep)

        first = api.get(self.path).json()
        second = api.get(first["next"]).json()

        assert len(first["items"]) == 50
        assert "limit=" not in first["next"]
        assert len(second["items"]) == 1
        assert second["next"] is None

    def test_limit_is_at_most_200(self, api, rep):
        self.make(rep)

        assert api.get(self.path, {"limit": 200}).status_code == 200
        body = problem(api.get(self.path, {"limit": 201}), 422)
        assert body["detail"] == INVALID_FIELDS
        assert field_errors(body) == {"limit": ["Input should be less than or equal to 200"]}
        body = problem(api.get(self.path, {"limit": 0}), 422)
        assert field_errors(body) == {"limit": ["Input should be greater than or equal to 1"]}

    def test_an_unknown_ordering_is_refused_naming_the_choices(self, api, rep):
        body = problem(api.get(self.path, {"ordering": "colour"}), 422)

        assert field_errors(body) == {
            "ordering": [f"Order by one of: {', '.join(self.orderings)}."]
        }

    def _records_for_ordering(self, ordering: str, owner, others=()) -> list:
        field = ordering.lstrip("-")
        values = values_for(self.model._meta.get_field(field))
        records = []
        for position in TIE_PATTERN:
            record = self.make(owner)
            self.model.objects.filter(pk=record.pk).update(**{field: values[position]})
            records.append(self.stored(record))
        for other in others:
            record = self.make(other)
            self.model.objects.filter(pk=record.pk).update(**{field: values[3]})
        return records

    def test_cursor_pages_walk_every_record_once_in_order(self, api, rep, ordering):
        records = self._records_for_ordering(ordering, rep)

        ids = walk(api, self.path, {"ordering": ordering, "limit": 2})

        assert ids == expected_order(records, ordering.lstrip("-"), ordering)

    def test_cursor_pages_keep_the_filters(self, api, rep, teammate, ordering):
        records = self._records_for_ordering(ordering, rep, others=[teammate, teammate])

        ids = walk(api, self.path, {"ordering": ordering, "limit": 3, "owner": rep.pk})

        assert ids == expected_order(records, ordering.lstrip("-"), ordering)

    @pytest.mark.parametrize(("make_cursor", "message"), TAMPERED_CURSORS)
    def test_a_tampered_cursor_is_refused_naming_the_cursor(self, api, rep, make_cursor, message):
        ordering, other_ordering = self.orderings[0], self.orderings[1]
        record = self.make(rep)
        self.make(rep)
        value = str(getattr(record, ordering.lstrip("-")))
        cursor = make_cursor(ordering, other_ordering, value)

        body = problem(api.get(self.path, {"ordering": ordering, "cursor": cursor}), 422)

        assert body["detail"] == INVALID_FIELDS
        assert field_errors(body) == {"cursor": [message]}

    # --- create and retrieve ---------------------------------------------------------

    def test_create_answers_201_with_the_record_and_its_etag(self, api, rep):
        before = self.model.objects.count()

        response = api.post(self.path, self.create_body(rep))

        assert response.status_code == 201, response.content
        body = response.json()
        assert response["ETag"] == '"1"'
        assert body["version"] == 1
        assert body["owner_id"] == rep.pk
        assert self.model.objects.count() == before + 1
        assert self.model.objects.filter(pk=body["id"]).exists()

    def test_create_names_the_new_record_in_location(self, api, rep):
        response = api.post(self.path, self.create_body(rep))

        assert response.status_code == 201, response.content
        created = response.json()
        assert response["Location"] == f"http://testserver/api/v1{self.path}/{created['id']}"
        assert api.get(response["Location"]).json() == created

    def test_a_page_gives_the_next_cursor_bare_and_in_the_next_url(self, api, rep):
        for _ in range(3):
            self.make(rep)

        first = api.get(self.path, {"limit": 2}).json()
        last = api.get(self.path, {"limit": 2, "cursor": first["next_cursor"]}).json()

        assert first["next"].endswith(f"cursor={first['next_cursor']}")
        assert len(last["items"]) == 1
        assert (last["next"], last["next_cursor"]) == (None, None)

    def test_a_body_that_is_not_json_is_415(self, api, rep):
        record = self.make(rep)
        before = self.model.objects.count()
        text = json.dumps(self.create_body(rep))

        for method, path in (("POST", self.path), ("PATCH", self.detail(record))):
            response = api.client.generic(
                method, url(path), text, content_type="text/plain", **api.headers
            )
            body = problem(response, 415)
            assert body["detail"] == (
                "Send the body as JSON (Content-Type: application/json), not text/plain."
            )
        assert self.model.objects.count() == before

    def test_retrieve_answers_the_record_with_its_etag(self, api, rep):
        record = self.make(rep)

        response = api.get(self.detail(record))

        assert response.status_code == 200
        assert response["ETag"] == f'"{record.version}"'
        assert response.json()["id"] == record.pk

    def test_an_unknown_id_is_404(self, api):
        body = problem(api.get(f"{self.path}/987654"), 404)

        assert body["title"] == "Not found"
        assert body["detail"] == NOT_FOUND

    def test_a_record_of_another_team_is_404_not_403(self, api, other_rep):
        record = self.make(other_rep)

        for response in (
            api.get(self.detail(record)),
            api.patch(self.detail(record), self.update_body),
            api.delete(self.detail(record)),
        ):
            assert problem(response, 404)["detail"] == NOT_FOUND
        assert self.stored(record).version == record.version

    # --- update ----------------------------------------------------------------------

    def test_patch_changes_the_field_and_bumps_the_version(self, api, rep):
        record = self.make(rep)
        field, value = next(iter(self.update_body.items()))

        response = api.patch(self.detail(record), self.update_body)

        assert response.status_code == 200, response.content
        body = response.json()
        assert body[field] == value
        assert body["version"] == record.version + 1
        assert response["ETag"] == f'"{record.version + 1}"'
        assert getattr(self.stored(record), field) == value

    @pytest.mark.parametrize("header", ['"1"', 'W/"1"', "1"])
    def test_patch_with_the_current_etag_succeeds(self, api, rep, header):
        record = self.make(rep)
        assert record.version == 1

        response = api.patch(self.detail(record), self.update_body, HTTP_IF_MATCH=header)

        assert response.status_code == 200, response.content
        assert response["ETag"] == '"2"'

    def test_patch_with_a_stale_etag_is_412_and_changes_nothing(self, api, rep):
        record = self.make(rep)
        self.model.objects.filter(pk=record.pk).update(version=2)
        field = self.update_field()
        before = getattr(self.stored(record), field)

        body = problem(api.patch(self.detail(record), self.update_body, HTTP_IF_MATCH='"1"'), 412)

        assert body["title"] == "Precondition failed"
        assert body["detail"] == STALE_VERSION
        stored = self.stored(record)
        assert stored.version == 2
        assert getattr(stored, field) == before

    def test_an_if_match_that_is_no_etag_is_refused(self, api, rep):
        record = self.make(rep)

        body = problem(api.patch(self.detail(record), self.update_body, HTTP_IF_MATCH="yes"), 422)

        assert field_errors(body) == {"If-Match": ['Send the ETag you received, e.g. "3".']}

    # --- refusals of the body --------------------------------------------------------

    def test_unknown_fields_are_refused_by_name(self, api, rep):
        record = self.make(rep)
        before = self.model.objects.count()

        for response in (
            api.post(self.path, {**self.create_body(rep), "colour": "red"}),
            api.patch(self.detail(record), {"colour": "red"}),
        ):
            body = problem(response, 422)
            assert body["detail"] == INVALID_FIELDS
            assert field_errors(body) == {"colour": [UNKNOWN_FIELD]}
        assert self.model.objects.count() == before
        assert self.stored(record).version == record.version

    def test_values_of_the_wrong_type_are_refused_by_field(self, api, rep):
        record = self.make(rep)

        for response in (
            api.post(self.path, {**self.create_body(rep), **self.wrong_type_body}),
            api.patch(self.detail(record), self.wrong_type_body),
        ):
            body = problem(response, 422)
            assert body["type"] == "urn:vorsprung:problem:validation"
            assert field_errors(body) == self.wrong_type_errors

    def test_malformed_json_is_400(self, api, rep):
        record = self.make(rep)
        before = self.model.objects.count()

        for method, path in (("post", self.path), ("patch", self.detail(record))):
            body = problem(api.raw(method, path, '{"name": '), 400)
            assert body["title"] == "Bad request"
        assert self.model.objects.count() == before

    def test_a_body_over_one_mebibyte_is_413(self, api, rep):
        before = self.model.objects.count()
        oversized = json.dumps({**self.create_body(rep), "description": "x" * (1024 * 1024)})

        body = problem(api.raw("post", self.path, oversized), 413)

        assert body["title"] == "Request body too large"
        assert body["detail"] == "The request body is too large."
        assert self.model.objects.count() == before

    def test_an_owner_the_user_may_not_assign_is_refused_on_owner_id(self, api, rep, other_rep):
        record = self.make(rep)
        before = self.model.objects.count()
        message = (
            f"You may not assign records to {other_rep} (user {other_rep.pk}): you may assign "
            "them to yourself and your teammates only."
        )

        for response in (
            api.post(self.path, {**self.create_body(rep), "owner_id": other_rep.pk}),
            api.patch(self.detail(record), {"owner_id": other_rep.pk}),
        ):
            assert field_errors(problem(response, 422)) == {"owner_id": [message]}
        assert self.model.objects.count() == before
        assert self.stored(record).owner_id == rep.pk

    def test_a_teammate_may_be_made_owner(self, api, rep, teammate):
        record = self.make(rep)

        response = api.patch(self.detail(record), {"owner_id": teammate.pk})

        assert response.status_code == 200, response.content
        assert self.stored(record).owner_id == teammate.pk

    # --- delete ----------------------------------------------------------------------

    @pytest.mark.parametrize("actor", ["manager", "admin"])
    def test_managers_and_admins_delete_with_204(self, request, rep, actor):
        record = self.make(rep)

        response = Api(request.getfixturevalue(actor)).delete(self.detail(record))

        assert response.status_code == 204
        assert response.content == b""
        assert not self.model.objects.filter(pk=record.pk).exists()

    def test_delete_with_a_stale_etag_is_412_and_keeps_the_record(self, manager, rep):
        record = self.make(rep)
        self.model.objects.filter(pk=record.pk).update(version=2)

        response = Api(manager).delete(self.detail(record), HTTP_IF_MATCH='"1"')

        assert problem(response, 412)["detail"] == STALE_VERSION
        assert self.model.objects.filter(pk=record.pk).exists()

    def test_a_rep_may_not_delete(self, api, rep):
        record = self.make(rep)

        body = problem(api.delete(self.detail(record)), 403)

        assert body["title"] == "Forbidden"
        assert body["detail"] == DELETE_REFUSED
        assert self.model.objects.filter(pk=record.pk).exists()

    # --- authentication --------------------------------------------------------------

    def test_anonymous_requests_are_401(self, anonymous, rep):
        record = self.make(rep)

        for response in (
            anonymous.get(self.path),
            anonymous.get(self.detail(record)),
            anonymous.post(self.path, self.create_body(rep)),
            anonymous.patch(self.detail(record), self.update_body),
            anonymous.delete(self.detail(record)),
        ):
            body = problem(response, 401)
            assert body["detail"] == "Send a valid API token (Authorization: Bearer …) or log in."
            assert response["WWW-Authenticate"] == 'Bearer realm="vorsprung"'
        assert self.stored(record).version == record.version
