"""GET /api/v1/{type}/{id}/history: a record's change history, newest first, cursor-paged,
for those who may see the record; the door and token of each change."""

import pytest

from tests.api.helpers import Api, problem
from tests.factories import AdminFactory, LeadFactory, TeamFactory, UserFactory
from vorsprung.history.models import Change


@pytest.fixture(autouse=True)
def _api_settings(settings):
    settings.ALLOWED_HOSTS = ["testserver"]


@pytest.fixture
def rep(db):
    return UserFactory(username="rep", team=TeamFactory(name="Nord"))


@pytest.fixture
def api(rep):
    return Api(rep)


def test_changes_made_through_the_api_name_the_token_and_read_back_newest_first(api, rep):
    lead_id = api.post("/leads", {"last_name": "Pechel", "city": "Kiel"}).json()["id"]
    api.patch(f"/leads/{lead_id}", {"city": "Bergen", "job_title": "CFO"})
    api.post(f"/leads/{lead_id}/status", {"status": "working"})

    response = api.get(f"/leads/{lead_id}/history")

    assert response.status_code == 200
    items = response.json()["items"]
    assert [(i["action"], i["field"], i["old_value"], i["new_value"]) for i in items] == [
        ("updated", "status", "new", "working"),
        ("updated", "job_title", "", "CFO"),
        ("updated", "city", "Kiel", "Bergen"),
        ("created", "status", "", "new"),
    ]
    token_prefix = api.headers["HTTP_AUTHORIZATION"].split("_")[1]
    assert {(i["door"], i["token_prefix"], i["actor_id"]) for i in items} == {
        ("api", token_prefix, rep.pk)
    }


def test_the_history_is_cursor_paged(api):
    lead_id = api.post("/leads", {"last_name": "Pechel"}).json()["id"]
    for number in range(5):
        api.patch(f"/leads/{lead_id}", {"job_title": f"Title {number}"})

    first = api.get(f"/leads/{lead_id}/history", {"limit": 4}).json()
    second = api.get(first["next"]).json()

    titles = [i["new_value"] for i in first["items"] + second["items"]]
    assert titles == ["Title 4", "Title 3", "Title 2", "Title 1", "Title 0", "new"]
    assert second["next"] is None


def test_a_record_one_may_not_see_has_no_history_to_read(api):
    other = UserFactory(team=TeamFactory(name="Süd"))
    lead = LeadFactory(owner=other)

    problem(api.get(f"/leads/{lead.pk}/history"), 404)


def test_an_administrator_reads_the_history_of_a_deleted_record(api, rep):
    admin_api = Api(AdminFactory())
    lead_id = api.post("/leads", {"last_name": "Pechel"}).json()["id"]
    assert admin_api.delete(f"/leads/{lead_id}").status_code == 204

    items = admin_api.get(f"/leads/{lead_id}/history").json()["items"]

    assert [i["action"] for i in items] == ["deleted", "created"]
    assert items[0]["old_label"] == "Pechel"
    problem(api.get(f"/leads/{lead_id}/history"), 404)
    problem(admin_api.get("/leads/987654/history"), 404)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/organizations", {"name": "Nordpharma GmbH"}),
        ("/contacts", {"last_name": "Pechel"}),
    ],
)
def test_every_record_type_has_its_history(api, path, body):
    record_id = api.post(path, body).json()["id"]

    items = api.get(f"{path}/{record_id}/history").json()["items"]

    assert [i["action"] for i in items] == ["created"]


def test_activities_have_their_history(api):
    lead_id = api.post("/leads", {"last_name": "Pechel"}).json()["id"]
    activity_id = api.post(
        "/activities", {"kind": "note", "subject": "Met", "lead_id": lead_id}
    ).json()["id"]
    api.patch(f"/activities/{activity_id}", {"subject": "Met at the fair"})

    items = api.get(f"/activities/{activity_id}/history").json()["items"]

    assert [(i["action"], i["field"]) for i in items] == [("updated", "subject"), ("created", "")]
    assert Change.objects.filter(record_type="activity", record_id=activity_id).count() == 2


def test_a_bad_cursor_is_refused(api):
    lead_id = api.post("/leads", {"last_name": "Pechel"}).json()["id"]

    body = problem(api.get(f"/leads/{lead_id}/history", {"cursor": "nonsense"}), 422)

    assert body["errors"][0]["field"] == "cursor"
