"""/api/v1/pipelines, /users and /teams as an administrator uses them: lists, filters,
creating, changing and deleting, and the rules that refuse a change. Who may write at
all is in test_permissions_matrix.py."""

import pytest

from tests.api.crud_suite import walk
from tests.api.helpers import Api, field_errors, problem
from tests.factories import OpportunityFactory, TeamFactory, UserFactory
from vorsprung.accounts.models import Team, User
from vorsprung.sales.models import Pipeline
from vorsprung.sales.services import pipeline_create

STAGES = [
    {"name": "Talking", "probability": 20, "forecast_category": "pipeline"},
    {"name": "Signed", "probability": 100, "forecast_category": "closed", "is_won": True},
    {"name": "Gone", "probability": 0, "forecast_category": "omitted", "is_lost": True},
]


def make_pipeline(name: str, **options) -> Pipeline:
    return pipeline_create(actor=None, name=name, stages=[dict(s) for s in STAGES], **options)


# --- pipelines -----------------------------------------------------------------------


def test_pipelines_list_with_their_stages_in_order(api):
    body = api.get("/pipelines").json()

    assert body["next"] is None
    [sales] = body["items"]
    assert (sales["name"], sales["is_default"], sales["is_active"]) == ("Sales", True, True)
    assert [(s["position"], s["name"]) for s in sales["stages"]] == [
        (0, "Qualification"),
        (1, "Needs analysis"),
        (2, "Proposal"),
        (3, "Negotiation"),
        (4, "Closed won"),
        (5, "Closed lost"),
    ]
    assert [(s["is_won"], s["is_lost"]) for s in sales["stages"][-2:]] == [
        (True, False),
        (False, True),
    ]


@pytest.mark.parametrize("ordering", ["name", "-name"])
def test_pipeline_pages_walk_every_pipeline_once(api, ordering):
    for name in ("Renewals", "Partners", "Upsell", "Enterprise"):
        make_pipeline(name)
    names = sorted(Pipeline.objects.values_list("name", flat=True))
    by_id = dict(Pipeline.objects.values_list("pk", "name"))

    ids = walk(api, "/pipelines", {"ordering": ordering, "limit": 2})

    assert [by_id[i] for i in ids] == (names if ordering == "name" else names[::-1])


def test_deactivated_pipelines_are_left_out_unless_asked_for(api):
    make_pipeline("Old", is_default=False)
    Pipeline.objects.filter(name="Old").update(is_active=False)

    assert [p["name"] for p in api.get("/pipelines").json()["items"]] == ["Sales"]


def test_the_is_active_filter(api):
    make_pipeline("Old")
    Pipeline.objects.filter(name="Old").update(is_active=False)

    inactive = api.get("/pipelines", {"is_active": "false"}).json()["items"]
    active = api.get("/pipelines", {"is_active": "true"}).json()["items"]

    assert [p["name"] for p in inactive] == ["Old"]
    assert [p["name"] for p in active] == ["Sales"]


def test_a_pipeline_is_retrieved_by_id(api):
    sales = Pipeline.objects.get(is_default=True)

    response = api.get(f"/pipelines/{sales.pk}")

    assert response.status_code == 200
    assert len(response.json()["stages"]) == 6
    assert problem(api.get("/pipelines/987654"), 404)["detail"] == (
        "No such record, or you may not see it."
    )


def test_an_admin_creates_a_pipeline(admin):
    response = Api(admin).post("/pipelines", {"name": "Renewals", "stages": STAGES})

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["is_default"], body["is_active"]) == ("Renewals", False, True)
    assert [(s["position"], s["name"], s["is_won"]) for s in body["stages"]] == [
        (0, "Talking", False),
        (1, "Signed", True),
        (2, "Gone", False),
    ]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"name": "Sales", "stages": STAGES},
            {"name": ["A pipeline with this name exists already."]},
        ),
        ({"name": "Renewals", "stages": STAGES[:1] + STAGES[2:]}, {"stages": ["Add a won stage."]}),
        (
            {"name": "Renewals", "stages": STAGES[1:]},
            {"stages": ["Add at least one open stage."]},
        ),
        (
            {"name": "Renewals", "stages": STAGES[:1]},
            {"stages": ["List should have at least 2 items after validation, not 1"]},
        ),
        (
            {"name": "Renewals", "stages": [{**STAGES[0], "probability": 120}, *STAGES[1:]]},
            {"stages.0.probability": ["Input should be less than or equal to 100"]},
        ),
    ],
    ids=["duplicate-name", "no-won-stage", "no-open-stage", "one-stage", "probability-120"],
)
def test_a_pipeline_that_breaks_the_rules_is_refused(admin, body, errors):
    response = Api(admin).post("/pipelines", body)

    assert field_errors(problem(response, 422)) == errors
    assert Pipeline.objects.count() == 1


def test_an_admin_renames_and_makes_a_pipeline_the_default(admin):
    renewals = make_pipeline("Renewals")

    response = Api(admin).patch(
        f"/pipelines/{renewals.pk}", {"name": "Renewals 2030", "is_default": True}
    )

    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["is_default"]) == ("Renewals 2030", True)
    assert list(Pipeline.objects.filter(is_default=True)) == [renewals]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"is_active": False}, {"is_active": ["The default pipeline cannot be deactivated."]}),
        ({"is_default": False}, {"is_default": ["Make another pipeline the default instead."]}),
        ({"name": " "}, {"name": ["A pipeline needs a name."]}),
    ],
    ids=["deactivate-default", "undefault", "blank-name"],
)
def test_the_default_pipeline_stays_active_and_named(admin, body, errors):
    sales = Pipeline.objects.get(is_default=True)

    response = Api(admin).patch(f"/pipelines/{sales.pk}", body)

    assert field_errors(problem(response, 422)) == errors
    sales.refresh_from_db()
    assert (sales.name, sales.is_default, sales.is_active) == ("Sales", True, True)


def test_an_admin_deletes_an_unused_pipeline(admin):
    renewals = make_pipeline("Renewals")

    assert Api(admin).delete(f"/pipelines/{renewals.pk}").status_code == 204
    assert not Pipeline.objects.filter(pk=renewals.pk).exists()


def test_a_pipeline_in_use_or_the_default_cannot_be_deleted(admin):
    renewals = make_pipeline("Renewals")
    OpportunityFactory(pipeline=renewals, stage=renewals.stages.first())
    sales = Pipeline.objects.get(is_default=True)

    in_use = problem(Api(admin).delete(f"/pipelines/{renewals.pk}"), 409)
    default = problem(Api(admin).delete(f"/pipelines/{sales.pk}"), 409)

    assert in_use["detail"] == "This pipeline has opportunities; deactivate it instead."
    assert default["detail"] == "The default pipeline cannot be deleted."
    assert Pipeline.objects.count() == 2


# --- users ---------------------------------------------------------------------------


def test_me_is_the_authenticated_user(api, rep, team):
    body = api.get("/users/me").json()

    assert (body["id"], body["username"], body["role"], body["team_id"]) == (
        rep.pk,
        "rep",
        "sales_rep",
        team.pk,
    )
    assert "password" not in body


def test_users_list_everyone_with_no_secrets(api, rep, teammate, other_rep, admin):
    body = api.get("/users").json()

    assert [u["username"] for u in body["items"]] == ["admin", "other", "rep", "teammate"]
    assert all("password" not in user for user in body["items"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"role": "admin"}, ["admin"]),
        ({"role": ["manager", "admin"]}, ["admin", "manager"]),
        ({"team": "other_team"}, ["other"]),
        ({"is_active": "false"}, ["gone"]),
        ({"q": "TEAM"}, ["teammate"]),
        (
            {"ordering": "-username", "is_active": "true"},
            ["teammate", "rep", "other", "manager", "admin"],
        ),
    ],
    ids=["role", "roles", "team", "inactive", "q", "descending"],
)
def test_the_user_list_filters(request, api, teammate, manager, other_rep, admin, params, expected):
    UserFactory(username="gone", is_active=False)
    query = {
        name: request.getfixturevalue(value).pk if name == "team" else value
        for name, value in params.items()
    }

    names = [u["username"] for u in api.get("/users", query).json()["items"]]

    assert names == expected


def test_an_admin_creates_a_user_who_can_log_in(admin, team):
    response = Api(admin).post(
        "/users",
        {
            "username": "dora",
            "email": "dora@vorsprung.example",
            "role": "manager",
            "team_id": team.pk,
            "password": "correct horse battery staple",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["username"], body["role"], body["team_id"]) == ("dora", "manager", team.pk)
    assert User.objects.get(username="dora").check_password("correct horse battery staple")


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"username": "REP"}, {"username": ["This username is taken."]}),
        (
            {"username": "dora", "password": "12345678"},
            {"password": ["This password is too common.", "This password is entirely numeric."]},
        ),
        (
            {"username": "dora", "team_id": 987654},
            {"team_id": ["No record with id 987654 that you may see."]},
        ),
        (
            {"username": "dora", "role": "king"},
            {"role": ["Input should be 'admin', 'manager' or 'sales_rep'"]},
        ),
    ],
    ids=["taken", "weak-password", "unknown-team", "unknown-role"],
)
def test_a_user_that_breaks_the_rules_is_refused(admin, rep, body, errors):
    response = Api(admin).post("/users", body)

    assert field_errors(problem(response, 422)) == errors
    assert not User.objects.filter(username="dora").exists()


def test_an_admin_changes_a_users_role_and_team(admin, rep, other_team):
    response = Api(admin).patch(f"/users/{rep.pk}", {"role": "manager", "team_id": other_team.pk})

    assert response.status_code == 200, response.content
    rep.refresh_from_db()
    assert (rep.role, rep.team_id) == ("manager", other_team.pk)


def test_an_admin_cannot_deactivate_themselves(admin):
    body = problem(Api(admin).patch(f"/users/{admin.pk}", {"is_active": False}), 409)

    assert body["detail"] == "You cannot deactivate yourself."
    assert User.objects.get(pk=admin.pk).is_active


# --- teams ---------------------------------------------------------------------------


def test_teams_list_and_filter(api, team, other_team):
    TeamFactory(name="Nordost")

    everyone = api.get("/teams").json()["items"]
    north = api.get("/teams", {"q": "nord"}).json()["items"]
    backwards = api.get("/teams", {"ordering": "-name"}).json()["items"]

    assert [t["name"] for t in everyone] == ["Nord", "Nordost", "Süd"]
    assert [t["name"] for t in north] == ["Nord", "Nordost"]
    assert [t["name"] for t in backwards] == ["Süd", "Nordost", "Nord"]


def test_a_team_is_retrieved_with_its_manager(api, team, manager):
    body = api.get(f"/teams/{team.pk}").json()

    assert (body["id"], body["name"], body["manager_id"]) == (team.pk, "Nord", manager.pk)


def test_an_admin_creates_renames_and_deletes_a_team(admin, rep, manager):
    client = Api(admin)

    created = client.post("/teams", {"name": "West", "manager_id": manager.pk})
    assert created.status_code == 201, created.content
    team_id = created.json()["id"]
    assert created.json()["manager_id"] == manager.pk
    renamed = client.patch(f"/teams/{team_id}", {"name": "Westfalen"})
    assert renamed.json()["name"] == "Westfalen"
    User.objects.filter(pk=rep.pk).update(team_id=team_id)

    assert client.delete(f"/teams/{team_id}").status_code == 204
    assert not Team.objects.filter(pk=team_id).exists()
    assert User.objects.get(pk=rep.pk).team_id is None


def test_a_team_name_is_unique(admin, team):
    body = problem(Api(admin).post("/teams", {"name": "nord"}), 422)

    assert field_errors(body) == {"name": ["A team with this name exists already."]}
    assert Team.objects.count() == 1
