"""The settings area, as an administrator and as everyone else sees it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    AdminFactory,
    LeadFactory,
    ManagerFactory,
    OpportunityFactory,
    TeamFactory,
    UserFactory,
    default_pipeline,
    stage_named,
)
from vorsprung.accounts.models import Team, User
from vorsprung.leads.models import ConversionPolicy, DisqualifyReason
from vorsprung.sales.models import LostReason, Pipeline

STAGE_FIELDS = ("id", "name", "probability", "forecast_category", "is_won", "is_lost")


@pytest.fixture
def admin(db):
    return AdminFactory(username="ada", first_name="Ada", last_name="Admin")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def text(response) -> str:
    return response.content.decode()


def followed(client, response):
    """The page a browser lands on after the 303 that ``redirect_to`` answers (the test
    client's ``follow=True`` needs a redirect class with ``.url``)."""
    assert response.status_code == 303, text(response)
    return client.get(response["Location"])


def settings_urls() -> list[tuple[str, str]]:
    """(method, url) of every settings page and action."""
    team, person, pipeline = TeamFactory(), UserFactory(), default_pipeline()
    lost, disqualify = LostReason.objects.first(), DisqualifyReason.objects.first()
    pages = [
        reverse("settings:index"),
        reverse("settings:users"),
        reverse("settings:teams"),
        reverse("settings:pipelines"),
        reverse("settings:lost_reasons"),
        reverse("settings:disqualification_reasons"),
    ]
    forms = [
        reverse("settings:user_new"),
        reverse("settings:user_edit", args=[person.pk]),
        reverse("settings:team_new"),
        reverse("settings:team_edit", args=[team.pk]),
        reverse("settings:team_delete", args=[team.pk]),
        reverse("settings:pipeline_new"),
        reverse("settings:pipeline_edit", args=[pipeline.pk]),
        reverse("settings:pipeline_delete", args=[pipeline.pk]),
        reverse("settings:conversion"),
    ]
    actions = [
        reverse("settings:pipeline_stages", args=[pipeline.pk]),
        reverse("settings:lost_reasons"),
        reverse("settings:disqualification_reasons"),
        reverse("settings:reason_delete", args=["disqualification-reasons", disqualify.pk]),
    ]
    for kind, entry in (("lost-reasons", lost), ("disqualification-reasons", disqualify)):
        actions.append(reverse("settings:reason_update", args=[kind, entry.pk]))
        actions.append(reverse("settings:reason_retire", args=[kind, entry.pk]))
    return [("get", url) for url in pages + forms] + [("post", url) for url in forms + actions]


@pytest.mark.parametrize("make_user", [UserFactory, ManagerFactory], ids=["sales-rep", "manager"])
def test_settings_are_refused_to_everyone_but_administrators(client, db, make_user):
    client.force_login(make_user())
    urls = settings_urls()
    teams, users, reasons = Team.objects.count(), User.objects.count(), LostReason.objects.count()
    data = {"label": "Hacked", "name": "Hacked", "new-label": "Hacked", "position": "0"}

    for method, url in urls:
        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        assert response.status_code == 403, (method, url)
        assert "Settings are for administrators" in text(response), url

    assert (Team.objects.count(), User.objects.count()) == (teams, users)
    assert LostReason.objects.count() == reasons
    assert not LostReason.objects.filter(label="Hacked").exists()
    assert default_pipeline().is_active


def test_the_settings_are_linked_for_administrators_only(client, admin):
    link = f'href="{reverse("settings:index")}"'
    client.force_login(UserFactory())
    assert link not in text(client.get(reverse("home")))
    client.force_login(admin)
    assert link in text(client.get(reverse("home")))

    response = client.get(reverse("settings:index"))

    assert response.status_code == 200
    for label in (
        "Users",
        "Teams",
        "Pipelines",
        "Lost reasons",
        "Disqualification reasons",
        "Conversion",
    ):
        assert label in text(response)
    assert reverse("admin:index") not in text(response)


def test_superusers_find_the_django_admin_in_the_settings(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get(reverse("settings:index"))

    assert response.status_code == 200
    assert f'href="{reverse("admin:index")}"' in text(response)


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("settings:users"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Users


def test_the_user_list_shows_name_email_role_team_and_state(admin_client):
    UserFactory(
        username="bea",
        first_name="Bea",
        last_name="Berg",
        team=TeamFactory(name="Nord"),
        is_active=False,
    )

    response = admin_client.get(reverse("settings:users"))

    page = text(response)
    assert "bea" in page and "Bea Berg" in page and "bea@example.com" in page
    assert "Nord" in page and "Sales representative" in page and "inactive" in page


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_user_list_costs_the_same_queries_for_3_and_30_users(
    admin_client, django_assert_num_queries
):
    team = TeamFactory()
    UserFactory.create_batch(2, team=team)
    few = count_queries(admin_client, reverse("settings:users"))
    UserFactory.create_batch(27, team=TeamFactory())

    with django_assert_num_queries(few):
        response = admin_client.get(reverse("settings:users"))

    assert text(response).count("/settings/users/") >= 30


def test_the_user_list_pages_by_username(admin_client):
    UserFactory.create_batch(55)

    first = admin_client.get(reverse("settings:users"))
    cursor = first.context["page"].next_cursor
    second = admin_client.get(reverse("settings:users"), {"cursor": cursor})

    assert len(first.context["page"].items) == 50
    assert len(second.context["page"].items) == 6
    assert "First page" in text(second)


def test_a_broken_cursor_shows_the_first_page_with_a_message(admin_client):
    response = admin_client.get(reverse("settings:users"), {"cursor": "nonsense"})

    assert response.status_code == 200
    assert "This cursor is not valid; start again from the first page." in text(response)


def new_user_data(**overrides) -> dict:
    data = {
        "username": "carla",
        "first_name": "Carla",
        "last_name": "Castro",
        "email": "Carla@Example.com",
        "role": "manager",
        "team": "",
        "language": "de",
        "password": "quiet-harbour-7412",
        "password_confirm": "quiet-harbour-7412",
    }
    return {**data, **overrides}


def test_an_admin_creates_a_user_who_can_then_log_in(admin_client, client, db):
    team = TeamFactory(name="Süd")

    response = followed(
        admin_client, admin_client.post(reverse("settings:user_new"), new_user_data(team=team.pk))
    )

    assert "User “carla” created." in text(response)
    carla = User.objects.get(username="carla")
    assert (carla.role, carla.team, carla.language, carla.email) == (
        "manager",
        team,
        "de",
        "carla@example.com",
    )
    fresh = Client()
    login = fresh.post(reverse("login"), {"username": "carla", "password": "quiet-harbour-7412"})
    assert login.status_code == 302
    assert login["Location"] == reverse("home")
    assert fresh.get(reverse("home")).context["user"] == carla


def test_a_weak_password_is_refused_with_the_validators_messages(admin_client):
    response = admin_client.post(
        reverse("settings:user_new"), new_user_data(password="12345", password_confirm="12345")
    )

    assert response.status_code == 422
    page = text(response)
    assert "This password is too short. It must contain at least 8 characters." in page
    assert "This password is too common." in page
    assert "This password is entirely numeric." in page
    assert not User.objects.filter(username="carla").exists()


def test_the_two_passwords_must_match(admin_client):
    response = admin_client.post(
        reverse("settings:user_new"), new_user_data(password_confirm="other-words-99")
    )

    assert response.status_code == 422
    assert "The two passwords differ." in text(response)


def test_a_taken_username_is_refused(admin_client):
    UserFactory(username="Carla")

    response = admin_client.post(reverse("settings:user_new"), new_user_data())

    assert response.status_code == 422
    assert "This username is taken." in text(response)


def test_an_admin_edits_role_team_and_state(admin_client):
    bea = UserFactory(username="bea")
    team = TeamFactory(name="West")
    data = {
        "username": "bea",
        "first_name": "Bea",
        "last_name": "Berg",
        "email": "bea@example.org",
        "role": "admin",
        "team": team.pk,
        "language": "nb",
    }

    response = followed(
        admin_client, admin_client.post(reverse("settings:user_edit", args=[bea.pk]), data)
    )

    assert "User “bea” saved." in text(response)
    bea.refresh_from_db()
    assert (bea.role, bea.team, bea.language, bea.is_active, bea.last_name) == (
        "admin",
        team,
        "nb",
        False,
        "Berg",
    )


def test_the_edit_form_shows_the_users_current_values(admin_client):
    bea = UserFactory(username="bea", email="bea@example.org", team=TeamFactory(name="Ost"))

    response = admin_client.get(reverse("settings:user_edit", args=[bea.pk]))

    assert response.context["form"]["email"].value() == "bea@example.org"
    assert response.context["form"]["team"].value() == bea.team_id
    assert response.context["form"]["is_active"].value() is True


def test_deactivating_yourself_is_refused(admin_client, admin):
    data = {"username": admin.username, "role": "admin", "email": admin.email}

    response = admin_client.post(reverse("settings:user_edit", args=[admin.pk]), data)

    assert response.status_code == 422
    assert "You cannot deactivate yourself." in text(response)
    admin.refresh_from_db()
    assert admin.is_active


# Teams


def test_an_admin_creates_a_team_with_a_manager(admin_client):
    boss = ManagerFactory(username="boss", first_name="Bo", last_name="Boss")

    response = followed(
        admin_client,
        admin_client.post(reverse("settings:team_new"), {"name": " Nord ", "manager": boss.pk}),
    )

    assert "Team “Nord” saved." in text(response)
    team = Team.objects.get(name="Nord")
    assert team.manager == boss
    assert "Bo Boss" in text(admin_client.get(reverse("settings:teams")))


def test_a_duplicate_team_name_is_refused(admin_client):
    TeamFactory(name="Nord")

    response = admin_client.post(reverse("settings:team_new"), {"name": "nord"})

    assert response.status_code == 422
    assert "A team with this name exists already." in text(response)


def test_an_admin_renames_and_deletes_a_team(admin_client):
    team = TeamFactory(name="Nord")
    member = UserFactory(team=team)

    admin_client.post(reverse("settings:team_edit", args=[team.pk]), {"name": "North"})
    team.refresh_from_db()
    assert team.name == "North"

    confirm = admin_client.get(reverse("settings:team_delete", args=[team.pk]))
    assert "Its 1 member stays, without a team." in text(confirm)
    response = followed(
        admin_client, admin_client.post(reverse("settings:team_delete", args=[team.pk]))
    )

    assert "Team “North” deleted." in text(response)
    assert not Team.objects.filter(pk=team.pk).exists()
    member.refresh_from_db()
    assert member.team is None


def test_the_team_list_counts_members_in_sql(admin_client, django_assert_num_queries):
    for _ in range(3):
        UserFactory.create_batch(2, team=TeamFactory(manager=ManagerFactory()))
    few = count_queries(admin_client, reverse("settings:teams"))
    for _ in range(27):
        UserFactory(team=TeamFactory(manager=ManagerFactory()))

    with django_assert_num_queries(few):
        response = admin_client.get(reverse("settings:teams"))

    assert len(response.context["page"].items) == 30
    assert sorted({team.member_count for team in response.context["page"].items}) == [1, 2]


# Pipelines and stages


def stage_rows(pipeline: Pipeline) -> list[dict]:
    return list(pipeline.stages.order_by("position").values(*STAGE_FIELDS))


def stage_post(rows: list[dict], *, initial: int, extra: int = 0, **pipeline_fields) -> dict:
    """The stage table as a browser posts it: rows in table order with their position
    numbers (``ORDER``), ``DELETE`` ticked where a row says so."""
    data = {
        "stages-TOTAL_FORMS": str(len(rows) + extra),
        "stages-INITIAL_FORMS": str(initial),
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "30",
        **pipeline_fields,
    }
    for index, row in enumerate(rows):
        prefix = f"stages-{index}-"
        data[prefix + "ORDER"] = str(row.get("ORDER", index + 1))
        for field in ("id", "name", "probability", "forecast_category"):
            if row.get(field) is not None:
                data[prefix + field] = str(row[field])
        for flag in ("is_won", "is_lost", "DELETE"):
            if row.get(flag):
                data[prefix + flag] = "on"
    for index in range(len(rows), len(rows) + extra):
        data[f"stages-{index}-forecast_category"] = "pipeline"
    return data


def test_the_pipeline_list_shows_the_default_pipeline_with_its_stage_count(admin_client):
    response = admin_client.get(reverse("settings:pipelines"))

    assert response.context["pipelines"][0].name == "Sales"
    assert response.context["pipelines"][0].stage_count == 6
    assert "default" in text(response)


def test_an_admin_edits_a_stage_probability_and_only_the_stage_changes(admin_client):
    pipeline = default_pipeline()
    opportunity = OpportunityFactory(stage=stage_named("Proposal"))
    rows = stage_rows(pipeline)
    rows[2]["probability"] = 55

    response = followed(
        admin_client,
        admin_client.post(
            reverse("settings:pipeline_stages", args=[pipeline.pk]),
            stage_post(rows, initial=len(rows), extra=2),
        ),
    )

    assert "Stages of “Sales” saved." in text(response)
    assert stage_named("Proposal").probability == 55
    opportunity.refresh_from_db()
    assert opportunity.probability == 50


def test_stages_are_reordered_by_their_position_numbers_and_rows_added_and_removed(admin_client):
    pipeline = default_pipeline()
    rows = stage_rows(pipeline)
    rows[0]["ORDER"] = 3  # Qualification after Proposal
    rows[3]["DELETE"] = True  # Negotiation
    rows.append({"name": "Demo", "probability": 40, "forecast_category": "best_case", "ORDER": 4})

    response = admin_client.post(
        reverse("settings:pipeline_stages", args=[pipeline.pk]),
        stage_post(rows, initial=6, extra=1),
    )

    assert response.status_code == 303
    assert [row["name"] for row in stage_rows(pipeline)] == [
        "Needs analysis",
        "Proposal",
        "Qualification",
        "Demo",
        "Closed won",
        "Closed lost",
    ]


def test_a_broken_stage_list_is_shown_with_the_services_message(admin_client):
    pipeline = default_pipeline()
    rows = stage_rows(pipeline)
    rows[4]["DELETE"] = True  # the only won stage
    rows[1]["name"] = "proposal"

    response = admin_client.post(
        reverse("settings:pipeline_stages", args=[pipeline.pk]), stage_post(rows, initial=6)
    )

    assert response.status_code == 422
    page = text(response)
    assert "Add a won stage." in page
    assert "Another stage has this name already." in page
    assert "Closed won" in [row["name"] for row in stage_rows(pipeline)]


def test_a_stage_with_opportunities_cannot_be_removed(admin_client):
    pipeline = default_pipeline()
    OpportunityFactory(stage=stage_named("Negotiation"))
    rows = stage_rows(pipeline)
    rows[3]["DELETE"] = True

    response = admin_client.post(
        reverse("settings:pipeline_stages", args=[pipeline.pk]), stage_post(rows, initial=6)
    )

    assert response.status_code == 422
    assert "Stage “Negotiation” holds opportunities; move them to another stage first." in text(
        response
    )


def test_the_pipeline_page_shows_the_stages_in_order(admin_client):
    response = admin_client.get(reverse("settings:pipeline_edit", args=[default_pipeline().pk]))

    forms = response.context["formset"].forms
    assert [form["name"].value() for form in forms[:6]] == [
        "Qualification",
        "Needs analysis",
        "Proposal",
        "Negotiation",
        "Closed won",
        "Closed lost",
    ]
    assert forms[0]["ORDER"].value() == 1
    assert 'for="id_stages-0-probability"' in text(response)


def test_an_admin_creates_a_pipeline_with_its_stages(admin_client):
    rows = [
        {"name": "Intro", "probability": 10, "forecast_category": "pipeline"},
        {"name": "Won", "probability": 100, "forecast_category": "closed", "is_won": True},
        {"name": "Lost", "probability": 0, "forecast_category": "omitted", "is_lost": True},
    ]

    response = followed(
        admin_client,
        admin_client.post(
            reverse("settings:pipeline_new"), stage_post(rows, initial=0, extra=3, name="Partners")
        ),
    )

    assert "Pipeline “Partners” created." in text(response)
    partners = Pipeline.objects.get(name="Partners")
    assert [(row["name"], row["is_won"], row["is_lost"]) for row in stage_rows(partners)] == [
        ("Intro", False, False),
        ("Won", True, False),
        ("Lost", False, True),
    ]


def test_a_new_pipeline_without_a_lost_stage_is_refused(admin_client):
    rows = [
        {"name": "Intro", "probability": 10, "forecast_category": "pipeline"},
        {"name": "Won", "probability": 100, "forecast_category": "closed", "is_won": True},
    ]

    response = admin_client.post(
        reverse("settings:pipeline_new"), stage_post(rows, initial=0, extra=2, name="Sales")
    )

    assert response.status_code == 422
    assert "Add a lost stage." in text(response)
    assert "A pipeline with this name exists already." in text(response)


def test_an_admin_renames_a_pipeline_and_makes_it_the_default(admin_client):
    other = Pipeline.objects.create(name="Partners", is_active=False)

    response = followed(
        admin_client,
        admin_client.post(
            reverse("settings:pipeline_edit", args=[other.pk]),
            {"name": "Partner deals", "is_default": "on", "is_active": "on"},
        ),
    )

    assert "Pipeline “Partner deals” saved." in text(response)
    other.refresh_from_db()
    assert (other.name, other.is_default, other.is_active) == ("Partner deals", True, True)
    assert not Pipeline.objects.get(name="Sales").is_default


def test_the_default_pipeline_cannot_be_deactivated(admin_client):
    pipeline = default_pipeline()

    response = admin_client.post(
        reverse("settings:pipeline_edit", args=[pipeline.pk]), {"name": "Sales", "is_default": "on"}
    )

    assert response.status_code == 422
    assert "The default pipeline cannot be deactivated." in text(response)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: default_pipeline(), "The default pipeline cannot be deleted."),
        (
            lambda: (
                OpportunityFactory(
                    pipeline=(p := Pipeline.objects.create(name="Partners")),
                    stage=p.stages.create(
                        name="Intro", probability=5, forecast_category="pipeline"
                    ),
                ).pipeline
            ),
            "This pipeline has opportunities; deactivate it instead.",
        ),
    ],
    ids=["default", "in-use"],
)
def test_deleting_a_pipeline_shows_the_refusal(admin_client, make, message):
    pipeline = make()

    response = admin_client.post(reverse("settings:pipeline_delete", args=[pipeline.pk]))

    assert response.status_code == 409
    assert message in text(response)
    assert Pipeline.objects.filter(pk=pipeline.pk).exists()


def test_an_unused_pipeline_is_deleted(admin_client):
    pipeline = Pipeline.objects.create(name="Partners")

    response = followed(
        admin_client, admin_client.post(reverse("settings:pipeline_delete", args=[pipeline.pk]))
    )

    assert "Pipeline “Partners” deleted." in text(response)
    assert not Pipeline.objects.filter(pk=pipeline.pk).exists()


# Reason lists


def offered(model) -> list[str]:
    return list(model.objects.filter(is_active=True).values_list("label", flat=True))


@pytest.mark.parametrize(
    ("kind", "model"),
    [("lost-reasons", LostReason), ("disqualification-reasons", DisqualifyReason)],
)
def test_an_admin_adds_reorders_renames_retires_and_restores_a_reason(admin_client, kind, model):
    url = f"/settings/{kind}/"

    response = followed(admin_client, admin_client.post(url, {"new-label": "Reorganisation"}))
    assert "“Reorganisation” added." in text(response)
    assert offered(model)[-1] == "Reorganisation"

    entry = model.objects.get(label="Reorganisation")
    update = reverse("settings:reason_update", args=[kind, entry.pk])
    position = len(offered(model)) - 2
    response = followed(admin_client, admin_client.post(update, {"position": position}))
    assert "“Reorganisation” moved." in text(response)
    assert offered(model)[-2] == "Reorganisation"

    admin_client.post(update, {"label": "Reorganised"})
    assert offered(model)[-2] == "Reorganised"

    response = followed(
        admin_client, admin_client.post(reverse("settings:reason_retire", args=[kind, entry.pk]))
    )
    assert "“Reorganised” retired." in text(response)
    assert "Reorganised" not in offered(model)
    assert "Reorganised" in text(admin_client.get(url))  # listed among the retired

    admin_client.post(update, {"restore": "on"})
    assert offered(model)[-1] == "Reorganised"


@pytest.mark.parametrize("kind", ["lost-reasons", "disqualification-reasons"])
def test_an_empty_or_duplicate_reason_is_refused_on_the_page(admin_client, kind):
    url = f"/settings/{kind}/"
    first = admin_client.get(url).context["offered"][0]

    empty = admin_client.post(url, {"new-label": " "})
    duplicate = admin_client.post(url, {"new-label": first.label.upper()})
    rename = admin_client.post(
        reverse("settings:reason_update", args=[kind, first.pk]),
        {"label": admin_client.get(url).context["offered"][1].label},
    )

    assert (empty.status_code, duplicate.status_code, rename.status_code) == (422, 422, 422)
    assert "This field is required." in text(empty)
    assert "This label is in the list already." in text(duplicate)
    assert "This label is in the list already." in text(rename)
    assert 'aria-invalid="true"' in text(rename)


def test_htmx_gets_only_the_list_back(admin_client):
    response = admin_client.post(
        "/settings/lost-reasons/", {"new-label": "Reorganisation"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    page = text(response)
    assert page.startswith('<div id="reason-list"')
    assert "<html" not in page
    assert "“Reorganisation” added." in page


def test_moving_up_keeps_the_moved_reasons_button_id(admin_client):
    second = LostReason.objects.get(label="Went with a competitor")

    response = admin_client.post(
        reverse("settings:reason_update", args=["lost-reasons", second.pk]),
        {"position": 0},
        HTTP_HX_REQUEST="true",
    )

    assert offered(LostReason)[:2] == ["Went with a competitor", "Price"]
    # htmx puts the focus back on the element with the same id after the swap.
    assert f'id="reason-{second.pk}-up" disabled' in text(response)


def test_deleting_a_disqualification_reason_retires_it_when_leads_carry_it(admin_client):
    LeadFactory(status="unqualified", disqualification_reason="No budget")
    used = DisqualifyReason.objects.get(label="No budget")
    unused = DisqualifyReason.objects.get(label="Duplicate")

    retired = followed(
        admin_client,
        admin_client.post(
            reverse("settings:reason_delete", args=["disqualification-reasons", used.pk])
        ),
    )
    deleted = followed(
        admin_client,
        admin_client.post(
            reverse("settings:reason_delete", args=["disqualification-reasons", unused.pk])
        ),
    )

    assert "Leads carry “No budget”, so it was retired instead of deleted." in text(retired)
    assert "“Duplicate” deleted." in text(deleted)
    assert DisqualifyReason.objects.get(pk=used.pk).is_active is False
    assert not DisqualifyReason.objects.filter(pk=unused.pk).exists()


def test_lost_reasons_have_no_delete(admin_client):
    entry = LostReason.objects.first()

    response = admin_client.post(reverse("settings:reason_delete", args=["lost-reasons", entry.pk]))

    assert response.status_code == 404
    assert LostReason.objects.filter(pk=entry.pk).exists()


# Conversion policy


def test_an_admin_toggles_the_conversion_policy(admin_client):
    url = reverse("settings:conversion")
    assert "Require a complete qualification checklist to convert" in text(admin_client.get(url))

    response = followed(
        admin_client, admin_client.post(url, {"require_complete_qualification": "on"})
    )
    assert "Conversion policy saved." in text(response)
    assert ConversionPolicy.current().require_complete_qualification is True
    assert response.context["form"]["require_complete_qualification"].value() is True

    admin_client.post(url, {})
    assert ConversionPolicy.current().require_complete_qualification is False


# CSRF


def test_a_post_without_csrf_token_is_refused(admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)

    response = client.post("/settings/lost-reasons/", {"new-label": "Reorganisation"})
    policy = client.post(reverse("settings:conversion"), {"require_complete_qualification": "on"})

    assert (response.status_code, policy.status_code) == (403, 403)
    assert not LostReason.objects.filter(label="Reorganisation").exists()
    assert ConversionPolicy.current().require_complete_qualification is False
