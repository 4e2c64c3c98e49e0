"""What the settings pages change, over the API: a pipeline's stages, the lost and
disqualification reasons, and the conversion policy. Everyone reads; administrators
write (who is refused how: test_admin_only_endpoints.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.helpers import Api, field_errors, problem
from tests.factories import LeadFactory, OpportunityFactory, stage_named
from vorsprung.leads.models import ConversionPolicy, DisqualifyReason
from vorsprung.sales.models import LostReason, Pipeline


def stage_rows(pipeline_body) -> list[tuple]:
    return [
        (s["name"], s["probability"], s["is_won"], s["is_lost"]) for s in pipeline_body["stages"]
    ]


def specs_of(pipeline: Pipeline) -> list[dict]:
    fields = ("id", "name", "probability", "forecast_category", "is_won", "is_lost")
    return list(pipeline.stages.order_by("position").values(*fields))


# --- stages ------------------------------------------------------------------------------


def test_an_admin_renames_reorders_adds_and_removes_stages(admin):
    pipeline = Pipeline.objects.get(is_default=True)
    specs = specs_of(pipeline)
    qualification, needs, proposal, negotiation, won, lost = specs
    new = {"name": "Pilot", "probability": 60, "forecast_category": "best_case"}

    stages = [qualification, {**proposal, "name": "Offer"}, new, won, lost]

    response = Api(admin).put(f"/pipelines/{pipeline.pk}/stages", {"stages": stages})

    assert response.status_code == 200, response.content
    assert stage_rows(response.json()) == [
        ("Qualification", 10, False, False),
        ("Offer", 50, False, False),
        ("Pilot", 60, False, False),
        ("Closed won", 100, True, False),
        ("Closed lost", 0, False, True),
    ]
    assert [s["position"] for s in response.json()["stages"]] == [0, 1, 2, 3, 4]
    assert not pipeline.stages.filter(pk__in=[needs["id"], negotiation["id"]]).exists()


def test_a_stage_holding_opportunities_cannot_turn_won(admin):
    opportunity = OpportunityFactory()
    pipeline = opportunity.pipeline
    specs = specs_of(pipeline)
    specs[0]["is_won"] = True

    response = Api(admin).put(f"/pipelines/{pipeline.pk}/stages", {"stages": specs})

    body = problem(response, 409)
    assert body["detail"] == (
        "Stage “Qualification” holds opportunities, so it cannot change between open, won and lost."
    )
    assert stage_named("Qualification").is_won is False


def test_a_stage_of_another_pipeline_is_refused(admin):
    pipeline = Pipeline.objects.get(is_default=True)
    other = Pipeline.objects.create(name="Partners")
    specs = specs_of(pipeline)

    response = Api(admin).put(f"/pipelines/{other.pk}/stages", {"stages": specs})

    errors = field_errors(problem(response, 422))
    assert errors["stages[0]"] == ["This stage is not part of the pipeline."]


# --- reasons -----------------------------------------------------------------------------

REASON_LISTS = [
    pytest.param("/lost-reasons", LostReason, id="lost"),
    pytest.param("/disqualification-reasons", DisqualifyReason, id="disqualification"),
]


@pytest.mark.parametrize(("path", "model"), REASON_LISTS)
def test_everyone_reads_the_offered_reasons_in_their_order(api, path, model):
    retired = model.objects.order_by("position").first()
    retired.is_active = False
    retired.save()

    offered = api.get(path).json()
    everything = api.get(path, {"include_retired": "true"}).json()

    labels = list(model.objects.filter(is_active=True).values_list("label", flat=True))
    assert [item["label"] for item in offered["items"]] == labels
    assert offered["next"] is None
    assert [item["label"] for item in everything["items"]] == [*labels, retired.label]
    assert everything["items"][-1]["is_active"] is False


@pytest.mark.parametrize(("path", "model"), REASON_LISTS)
def test_an_admin_adds_renames_moves_retires_and_restores_a_reason(admin, path, model):
    api = Api(admin)

    created = api.post(path, {"label": " Reorganisation "})
    entry = created.json()
    renamed = api.patch(f"{path}/{entry['id']}", {"label": "Reorganised"})
    moved = api.patch(f"{path}/{entry['id']}", {"position": 0})
    retired = api.patch(f"{path}/{entry['id']}", {"is_active": False})
    restored = api.patch(f"{path}/{entry['id']}", {"is_active": True})

    assert created.status_code == 201
    assert (entry["label"], entry["is_active"]) == ("Reorganisation", True)
    assert entry["position"] == model.objects.filter(is_active=True).count() - 1
    assert renamed.json()["label"] == "Reorganised"
    assert moved.json()["position"] == 0
    assert retired.json()["is_active"] is False
    assert restored.json()["position"] == model.objects.filter(is_active=True).count() - 1


@pytest.mark.parametrize(("path", "model"), REASON_LISTS)
def test_a_duplicate_or_empty_label_is_refused(admin, path, model):
    taken = model.objects.first().label

    duplicate = Api(admin).post(path, {"label": taken.upper()})
    empty = Api(admin).post(path, {"label": "  "})

    assert field_errors(problem(duplicate, 422)) == {
        "label": ["This label is in the list already."]
    }
    assert field_errors(problem(empty, 422)) == {"label": ["Enter a label."]}


def test_deleting_a_disqualification_reason_leads_carry_retires_it(admin):
    LeadFactory(status="unqualified", disqualification_reason="No budget")
    used = DisqualifyReason.objects.get(label="No budget")
    unused = DisqualifyReason.objects.get(label="Duplicate")

    retired = Api(admin).delete(f"/disqualification-reasons/{used.pk}")
    deleted = Api(admin).delete(f"/disqualification-reasons/{unused.pk}")

    assert (retired.status_code, retired.json()["is_active"]) == (200, False)
    assert deleted.status_code == 204
    assert not DisqualifyReason.objects.filter(pk=unused.pk).exists()


def test_lost_reasons_are_retired_not_deleted(admin):
    entry = LostReason.objects.first()

    response = Api(admin).delete(f"/lost-reasons/{entry.pk}")

    assert problem(response, 405)["detail"] == "DELETE is not allowed here; allowed: GET, PATCH."
    assert LostReason.objects.filter(pk=entry.pk).exists()


def test_an_unknown_reason_is_404(admin):
    assert problem(Api(admin).patch("/lost-reasons/999999", {"label": "x"}), 404)


@pytest.mark.parametrize("path", ["/lost-reasons", "/disqualification-reasons"])
def test_the_reason_list_costs_the_same_queries_however_long(api, path):
    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert api.get(path, {"include_retired": "true"}).status_code == 200
        return len(context)

    count()  # the token's first use is written down once
    small = count()
    model = LostReason if path == "/lost-reasons" else DisqualifyReason
    model.objects.bulk_create(model(label=f"Reason {n}", position=100 + n) for n in range(30))

    assert count() == small


# --- conversion policy -------------------------------------------------------------------


def test_everyone_reads_the_conversion_policy_and_an_admin_changes_it(api, admin):
    before = api.get("/conversion-policy")
    changed = Api(admin).put("/conversion-policy", {"require_complete_qualification": True})

    assert before.json() == {"require_complete_qualification": False}
    assert changed.json() == {"require_complete_qualification": True}
    assert ConversionPolicy.current().require_complete_qualification is True
    assert api.get("/conversion-policy").json() == {"require_complete_qualification": True}


def test_the_conversion_policy_needs_its_one_field(admin):
    response = Api(admin).put("/conversion-policy", {})

    assert field_errors(problem(response, 422)) == {
        "require_complete_qualification": ["Field required"]
    }
