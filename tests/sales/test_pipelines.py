import pytest
from django.core.exceptions import ValidationError

from tests.factories import AdminFactory, OrganizationFactory
from vorsprung.sales.models import Pipeline, Stage
from vorsprung.sales.services import opportunity_create, pipeline_create

OPEN = {"name": "Discovery", "probability": 20, "forecast_category": "pipeline"}
WON = {"name": "Won", "probability": 100, "forecast_category": "closed", "is_won": True}
LOST = {"name": "Lost", "probability": 0, "forecast_category": "omitted", "is_lost": True}


@pytest.fixture
def actor(db):
    return AdminFactory()


def test_the_migration_seeds_the_default_pipeline(db):
    pipeline = Pipeline.objects.get(is_default=True)

    assert pipeline.name == "Sales"
    assert pipeline.is_active
    assert [
        (s.name, s.probability, s.forecast_category, s.is_won, s.is_lost)
        for s in pipeline.stages.order_by("position")
    ] == [
        ("Qualification", 10, "pipeline", False, False),
        ("Needs analysis", 25, "pipeline", False, False),
        ("Proposal", 50, "best_case", False, False),
        ("Negotiation", 75, "commit", False, False),
        ("Closed won", 100, "closed", True, False),
        ("Closed lost", 0, "omitted", False, True),
    ]


def test_pipeline_create_stores_the_stages_in_the_order_given(actor):
    pipeline = pipeline_create(
        actor=actor,
        name="  Enterprise  ",
        stages=[
            OPEN,
            {"name": "Pilot", "probability": 60, "forecast_category": "commit"},
            WON,
            LOST,
        ],
    )

    assert pipeline.name == "Enterprise"
    assert not pipeline.is_default
    assert [(s.position, s.name, s.probability, s.is_closed) for s in pipeline.stages.all()] == [
        (0, "Discovery", 20, False),
        (1, "Pilot", 60, False),
        (2, "Won", 100, True),
        (3, "Lost", 0, True),
    ]


@pytest.mark.parametrize(
    ("stages", "messages"),
    [
        ([OPEN, LOST], ["Add a won stage."]),
        ([OPEN, WON], ["Add a lost stage."]),
        ([WON, LOST], ["Add at least one open stage."]),
        ([], ["Add a won stage.", "Add a lost stage.", "Add at least one open stage."]),
    ],
    ids=["no-won-stage", "no-lost-stage", "no-open-stage", "no-stages"],
)
def test_pipeline_create_needs_an_open_a_won_and_a_lost_stage(actor, stages, messages):
    with pytest.raises(ValidationError) as exc:
        pipeline_create(actor=actor, name="Partners", stages=stages)

    assert exc.value.message_dict == {"stages": messages}
    assert not Pipeline.objects.filter(name="Partners").exists()


@pytest.mark.parametrize("name", ["Sales", "sales", " SALES "])
def test_pipeline_create_refuses_a_duplicate_name(actor, name):
    with pytest.raises(ValidationError) as exc:
        pipeline_create(actor=actor, name=name, stages=[OPEN, WON, LOST])

    assert exc.value.message_dict == {"name": ["A pipeline with this name exists already."]}
    assert Pipeline.objects.count() == 1


def test_pipeline_create_needs_a_name(actor):
    with pytest.raises(ValidationError) as exc:
        pipeline_create(actor=actor, name="   ", stages=[OPEN, WON, LOST])

    assert exc.value.message_dict == {"name": ["A pipeline needs a name."]}


def test_pipeline_create_names_the_bad_stage_and_writes_nothing(actor):
    too_likely = {**OPEN, "name": "Sure thing", "probability": 120}

    with pytest.raises(ValidationError) as exc:
        pipeline_create(actor=actor, name="Partners", stages=[OPEN, too_likely, WON, LOST])

    assert exc.value.message_dict == {
        "stages[1].probability": ["Ensure this value is less than or equal to 100."]
    }
    assert not Pipeline.objects.filter(name="Partners").exists()
    assert not Stage.objects.filter(name="Discovery").exists()


def test_a_new_default_pipeline_replaces_the_old_default(actor):
    pipeline = pipeline_create(
        actor=actor, name="Renewals", stages=[WON, OPEN, LOST], is_default=True
    )

    assert list(Pipeline.objects.filter(is_default=True)) == [pipeline]
    opportunity = opportunity_create(
        actor=actor, name="Renewal 2027", organization=OrganizationFactory(owner=actor)
    )
    assert opportunity.pipeline == pipeline
    # The first *open* stage, even though the won stage comes first.
    assert opportunity.stage.name == "Discovery"
    assert opportunity.probability == 20


@pytest.mark.parametrize(
    ("stage", "message"),
    [
        ({**WON, "is_lost": True, "name": "Odd"}, "A stage cannot be both won and lost."),
        ({**OPEN, "colour": "red", "name": "Odd"}, "Unknown stage fields: colour."),
    ],
)
def test_pipeline_create_explains_a_stage_it_cannot_store(actor, stage, message):
    with pytest.raises(ValidationError) as exc:
        pipeline_create(actor=actor, name="Partner", stages=[OPEN, stage, WON, LOST])

    assert exc.value.message_dict == {"stages[1]": [message]}
    assert not Pipeline.objects.filter(name="Partner").exists()


def test_pipeline_create_refuses_two_stages_with_one_name(actor):
    with pytest.raises(ValidationError) as exc:
        pipeline_create(
            actor=actor, name="Partner", stages=[OPEN, {**OPEN, "probability": 40}, WON, LOST]
        )

    assert exc.value.message_dict == {"stages[1].name": ["Another stage has this name already."]}
    assert not Pipeline.objects.filter(name="Partner").exists()
