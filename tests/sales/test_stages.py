import pytest

from tests.factories import (
    AdminFactory,
    ManagerFactory,
    OpportunityFactory,
    default_pipeline,
    stage_named,
)
from vorsprung.core.errors import Conflict, NotAllowed, ValidationError
from vorsprung.sales.models import Pipeline, Stage
from vorsprung.sales.stages import pipeline_update_stages

FIELDS = ("id", "name", "probability", "forecast_category", "is_won", "is_lost")


@pytest.fixture
def admin(db):
    return AdminFactory()


def specs(pipeline: Pipeline | None = None) -> list[dict]:
    pipeline = pipeline or default_pipeline()
    return list(pipeline.stages.order_by("position").values(*FIELDS))


def names(pipeline: Pipeline | None = None) -> list[str]:
    return [spec["name"] for spec in specs(pipeline)]


def test_pipeline_update_stages_reweights_a_stage_but_not_its_opportunities(admin):
    opportunity = OpportunityFactory(stage=stage_named("Proposal"))
    stages = specs()
    stages[2]["probability"] = 60

    pipeline_update_stages(actor=admin, pipeline=default_pipeline(), stages=stages)

    assert stage_named("Proposal").probability == 60
    opportunity.refresh_from_db()
    assert opportunity.probability == 50


def test_pipeline_update_stages_reorders_renames_adds_and_removes(admin):
    qualification, needs, proposal, negotiation, won, lost = specs()
    proposal["name"] = "Needs analysis"  # the two swap names within one save
    needs["name"] = "Proposal"
    demo = {"name": "Demo", "probability": 30, "forecast_category": "pipeline"}

    pipeline_update_stages(
        actor=admin,
        pipeline=default_pipeline(),
        stages=[needs, qualification, demo, proposal, won, lost],
    )

    assert [(s["name"], s["probability"]) for s in specs()] == [
        ("Proposal", 25),
        ("Qualification", 10),
        ("Demo", 30),
        ("Needs analysis", 50),
        ("Closed won", 100),
        ("Closed lost", 0),
    ]
    assert not Stage.objects.filter(name="Negotiation").exists()


def test_pipeline_update_stages_refuses_to_delete_a_stage_with_opportunities(admin):
    OpportunityFactory(stage=stage_named("Negotiation"))
    stages = [spec for spec in specs() if spec["name"] != "Negotiation"]

    with pytest.raises(Conflict) as exc:
        pipeline_update_stages(actor=admin, pipeline=default_pipeline(), stages=stages)

    assert exc.value.message == (
        "Stage “Negotiation” holds opportunities; move them to another stage first."
    )
    assert "Negotiation" in names()


def test_pipeline_update_stages_refuses_to_close_a_stage_with_opportunities(admin):
    OpportunityFactory(stage=stage_named("Negotiation"))
    stages = specs()
    stages[3]["is_won"] = True

    with pytest.raises(Conflict) as exc:
        pipeline_update_stages(actor=admin, pipeline=default_pipeline(), stages=stages)

    assert exc.value.message == (
        "Stage “Negotiation” holds opportunities, so it cannot change between open, won and lost."
    )
    assert stage_named("Negotiation").is_won is False


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (lambda s: s[:4] + s[5:], {"stages": ["Add a won stage."]}),
        (lambda s: s[4:], {"stages": ["Add at least one open stage."]}),
        (
            lambda s: [*s[:5], {**s[5], "is_won": True}],
            {"stages[5]": ["A stage cannot be both won and lost."]},
        ),
        (
            lambda s: [{**s[0], "name": "proposal"}, *s[1:]],
            {"stages[2].name": ["Another stage has this name already."]},
        ),
        (
            lambda s: [{**s[0], "probability": 101}, *s[1:]],
            {"stages[0].probability": ["Ensure this value is less than or equal to 100."]},
        ),
        (
            lambda s: [{**s[0], "name": "  "}, *s[1:]],
            {"stages[0].name": ["This field cannot be blank."]},
        ),
        (
            lambda s: [{**s[0], "colour": "red"}, *s[1:]],
            {"stages[0]": ["Unknown stage fields: colour."]},
        ),
    ],
    ids=["no-won", "no-open", "won-and-lost", "duplicate-name", "probability", "blank", "unknown"],
)
def test_pipeline_update_stages_refuses_a_broken_stage_list(admin, change, errors):
    before = specs()

    with pytest.raises(ValidationError) as exc:
        pipeline_update_stages(actor=admin, pipeline=default_pipeline(), stages=change(specs()))

    assert exc.value.message_dict == errors
    assert specs() == before


def test_pipeline_update_stages_refuses_another_pipelines_stage(admin):
    other = Pipeline.objects.create(name="Partners")
    foreign = Stage.objects.create(
        pipeline=other, name="Intro", probability=5, forecast_category="pipeline"
    )
    stages = [
        *specs(),
        {"id": foreign.pk, "name": "Intro", "probability": 5, "forecast_category": "pipeline"},
    ]

    with pytest.raises(ValidationError) as exc:
        pipeline_update_stages(actor=admin, pipeline=default_pipeline(), stages=stages)

    assert exc.value.message_dict == {"stages[6]": ["This stage is not part of the pipeline."]}


def test_pipeline_update_stages_is_for_administrators(db):
    stages = specs()
    stages[0]["probability"] = 15

    with pytest.raises(NotAllowed):
        pipeline_update_stages(actor=ManagerFactory(), pipeline=default_pipeline(), stages=stages)

    assert stage_named("Qualification").probability == 10
