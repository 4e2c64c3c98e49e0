import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.factories import ContactFactory, OrganizationFactory, UserFactory, stage_named
from vorsprung.core.dates import end_of_quarter
from vorsprung.core.errors import Conflict
from vorsprung.history.models import Change
from vorsprung.history.presenters import note_text
from vorsprung.sales.choices import ContactRole
from vorsprung.sales.models import Opportunity, OpportunityContactRole
from vorsprung.sales.services import (
    opportunity_add_contact_role,
    opportunity_create,
    opportunity_mark_lost,
    opportunity_mark_won,
    opportunity_move_stage,
    opportunity_remove_contact_role,
    opportunity_update,
    pipeline_create,
    pipeline_update,
)

NOT_EDITABLE = "This field does not exist or cannot be changed here."


@pytest.fixture
def actor(db):
    return UserFactory(first_name="Rita", last_name="Rep")


@pytest.fixture
def organization(actor):
    return OrganizationFactory(name="Nordwind GmbH", owner=actor)


@pytest.fixture
def opportunity(actor, organization):
    return opportunity_create(actor=actor, name="Fleet renewal", organization=organization)


@pytest.fixture
def other_pipeline(db):
    return pipeline_create(
        actor=None,
        name="Partners",
        stages=[
            {"name": "Intro", "probability": 5, "forecast_category": "pipeline"},
            {"name": "Signed", "probability": 100, "forecast_category": "closed", "is_won": True},
            {"name": "Dropped", "probability": 0, "forecast_category": "omitted", "is_lost": True},
        ],
    )


def stage_history(opportunity) -> list[tuple[str, str, str]]:
    rows = Change.objects.filter(
        record_type="opportunity", record_id=opportunity.pk, field="stage"
    ).order_by("id")
    return [(row.old_label, row.new_label, row.note) for row in rows]


def lifecycle_history(organization) -> list[tuple[str, str, str]]:
    rows = Change.objects.filter(
        record_type="organization", record_id=organization.pk, field="lifecycle"
    ).order_by("id")
    return [(row.old_value, row.new_value, note_text(row)) for row in rows]


# --- creating ---------------------------------------------------------------------------


def test_create_starts_in_the_first_open_stage_of_the_default_pipeline(actor, organization):
    opportunity = opportunity_create(actor=actor, name="Fleet renewal", organization=organization)

    opportunity.refresh_from_db()
    assert opportunity.pipeline.name == "Sales"
    assert opportunity.stage.name == "Qualification"
    assert opportunity.probability == 10
    assert opportunity.forecast_category == "pipeline"
    assert not opportunity.probability_is_manual
    assert opportunity.currency == "EUR"
    assert opportunity.expected_close_date == end_of_quarter(timezone.localdate())
    assert opportunity.owner == actor
    assert (opportunity.is_closed, opportunity.is_won, opportunity.closed_at) == (
        False,
        False,
        None,
    )
    history = Change.objects.get(record_type="opportunity", record_id=opportunity.pk)
    assert (history.field, history.old_value, history.new_value, history.new_label) == (
        "stage",
        "",
        str(opportunity.stage.pk),
        "Qualification",
    )
    assert history.actor == actor


def test_create_takes_probability_and_forecast_from_the_stage_given(actor, organization):
    opportunity = opportunity_create(
        actor=actor, name="Fleet", organization=organization, stage=stage_named("Proposal")
    )

    assert (opportunity.probability, opportunity.forecast_category) == (50, "best_case")


def test_create_keeps_probability_and_forecast_given_by_hand(actor, organization):
    opportunity = opportunity_create(
        actor=actor,
        name="Fleet",
        organization=organization,
        probability=35,
        forecast_category="commit",
    )

    opportunity.refresh_from_db()
    assert (opportunity.probability, opportunity.forecast_category) == (35, "commit")
    assert opportunity.probability_is_manual
    assert opportunity.forecast_category_is_manual


def test_create_keeps_the_close_date_given(actor, organization):
    day = datetime.date(2031, 5, 17)

    opportunity = opportunity_create(
        actor=actor, name="Fleet", organization=organization, expected_close_date=day
    )

    assert opportunity.expected_close_date == day


def test_create_uses_the_configured_default_currency(actor, organization, settings):
    settings.VORSPRUNG_DEFAULT_CURRENCY = "NOK"

    opportunity = opportunity_create(actor=actor, name="Fjord", organization=organization)

    assert opportunity.currency == "NOK"


@pytest.mark.parametrize(("typed", "stored"), [("usd", "USD"), (" chf ", "CHF"), ("", "EUR")])
def test_create_reads_currency_codes(actor, organization, typed, stored):
    opportunity = opportunity_create(
        actor=actor, name="Fleet", organization=organization, currency=typed
    )

    assert opportunity.currency == stored


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"currency": "EURO"}, {"currency": ["“EURO” is not an ISO 4217 currency code."]}),
        ({"currency": "XYZ123"}, {"currency": ["“XYZ123” is not an ISO 4217 currency code."]}),
        ({"amount": -1}, {"amount": ["The amount cannot be negative."]}),
        ({"amount": "-0.01"}, {"amount": ["The amount cannot be negative."]}),
        ({"amount": "lots"}, {"amount": ["“lots” is not a number."]}),
        (
            {"amount": "-5", "currency": "ABC"},
            {
                "amount": ["The amount cannot be negative."],
                "currency": ["“ABC” is not an ISO 4217 currency code."],
            },
        ),
        ({"is_won": True}, {"is_won": [NOT_EDITABLE]}),
    ],
    ids=["currency-word", "currency-garbage", "negative", "negative-cent", "text", "both", "won"],
)
def test_create_refuses_bad_values_naming_the_field_and_writes_nothing(
    actor, organization, data, errors
):
    with pytest.raises(ValidationError) as exc:
        opportunity_create(actor=actor, name="Fleet", organization=organization, **data)

    assert exc.value.message_dict == errors
    assert not Opportunity.objects.exists()
    assert not Change.objects.filter(record_type="opportunity").exists()


def test_create_stores_amounts_with_two_decimals(actor, organization):
    opportunity = opportunity_create(
        actor=actor, name="Fleet", organization=organization, amount="12 500.5"
    )

    opportunity.refresh_from_db()
    assert opportunity.amount == Decimal("12500.50")


def test_create_refuses_a_stage_outside_the_pipeline(actor, organization, other_pipeline):
    with pytest.raises(ValidationError) as exc:
        opportunity_create(
            actor=actor,
            name="Fleet",
            organization=organization,
            pipeline=other_pipeline,
            stage=stage_named("Proposal"),
        )

    assert exc.value.message_dict == {
        "stage": ["Stage “Proposal” is not part of pipeline “Partners”."]
    }
    assert not Opportunity.objects.exists()


def test_create_in_another_pipeline_starts_in_its_first_open_stage(
    actor, organization, other_pipeline
):
    opportunity = opportunity_create(
        actor=actor, name="Reseller", organization=organization, pipeline=other_pipeline
    )

    assert (opportunity.pipeline, opportunity.stage.name, opportunity.probability) == (
        other_pipeline,
        "Intro",
        5,
    )


def test_create_in_a_lost_stage_needs_a_reason(actor, organization):
    with pytest.raises(ValidationError) as exc:
        opportunity_create(
            actor=actor, name="Fleet", organization=organization, stage=stage_named("Closed lost")
        )

    assert exc.value.message_dict == {"lost_reason": ["Say why the opportunity was lost."]}
    assert not Opportunity.objects.exists()


def test_create_in_a_lost_stage_stores_the_reason(actor, organization):
    opportunity = opportunity_create(
        actor=actor,
        name="Fleet",
        organization=organization,
        stage=stage_named("Closed lost"),
        lost_reason="  Budget frozen ",
    )

    opportunity.refresh_from_db()
    assert (opportunity.is_closed, opportunity.is_won) == (True, False)
    assert opportunity.lost_reason == "Budget frozen"
    assert opportunity.closed_at is not None
    assert opportunity.probability == 0


def test_create_in_the_won_stage_makes_the_organization_a_customer(actor, organization):
    opportunity_create(
        actor=actor, name="Fleet", organization=organization, stage=stage_named("Closed won")
    )

    organization.refresh_from_db()
    assert organization.lifecycle == "customer"


def test_create_refuses_a_primary_contact_of_another_organization(actor, organization):
    stranger = ContactFactory(organization=OrganizationFactory(owner=actor))

    with pytest.raises(ValidationError) as exc:
        opportunity_create(
            actor=actor, name="Fleet", organization=organization, primary_contact=stranger
        )

    assert exc.value.message_dict == {
        "primary_contact": ["The primary contact works for another organization."]
    }


# --- contact roles ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ContactRole.values)
def test_contact_roles_can_be_given_on_create(actor, organization, role):
    contact = ContactFactory(organization=organization)

    opportunity = opportunity_create(
        actor=actor, name="Fleet", organization=organization, contact_roles=[(contact, role)]
    )

    assert [(r.contact, r.role) for r in opportunity.contact_roles.all()] == [(contact, role)]


def test_one_contact_can_hold_several_roles(actor, opportunity, organization):
    contact = ContactFactory(organization=organization)
    for role in ("decision_maker", "economic_buyer", "decision_maker"):
        opportunity_add_contact_role(
            actor=actor, opportunity=opportunity, contact=contact, role=role
        )

    assert sorted(opportunity.contact_roles.values_list("role", flat=True)) == [
        "decision_maker",
        "economic_buyer",
    ]


def test_a_contact_of_another_organization_gets_no_role(actor, opportunity):
    stranger = ContactFactory(organization=OrganizationFactory(owner=actor))

    with pytest.raises(ValidationError) as exc:
        opportunity_add_contact_role(
            actor=actor, opportunity=opportunity, contact=stranger, role="influencer"
        )

    assert exc.value.message_dict == {"contact": ["This contact works for another organization."]}
    assert not OpportunityContactRole.objects.exists()


def test_a_role_taken_away_is_recorded_like_a_role_given(actor, opportunity, organization):
    contact = ContactFactory(organization=organization, first_name="Kari", last_name="Berg")
    role = opportunity_add_contact_role(
        actor=actor, opportunity=opportunity, contact=contact, role="influencer"
    )

    opportunity_remove_contact_role(actor=actor, opportunity=opportunity, contact_role=role)

    assert not OpportunityContactRole.objects.exists()
    entries = Change.objects.filter(record_type="opportunity", field="contacts").order_by("pk")
    assert [(e.old_value, e.old_label, e.new_value, e.new_label) for e in entries] == [
        ("", "", str(contact.pk), "Kari Berg — Influencer"),
        (str(contact.pk), "Kari Berg — Influencer", "", ""),
    ]


def test_a_role_of_another_opportunity_is_not_removed(actor, opportunity, organization):
    other = opportunity_create(actor=actor, name="Other", organization=organization)
    role = opportunity_add_contact_role(
        actor=actor,
        opportunity=other,
        contact=ContactFactory(organization=organization),
        role="user",
    )

    with pytest.raises(OpportunityContactRole.DoesNotExist):
        opportunity_remove_contact_role(actor=actor, opportunity=opportunity, contact_role=role)

    assert OpportunityContactRole.objects.filter(pk=role.pk).exists()


def test_role_changes_refuse_a_stale_version_of_the_opportunity(actor, opportunity, organization):
    opportunity_update(actor=actor, opportunity=opportunity, next_step="Call")

    with pytest.raises(Conflict) as refused:
        opportunity_add_contact_role(
            actor=actor,
            opportunity=opportunity,
            contact=ContactFactory(organization=organization),
            role="user",
            expected_version=1,
        )

    assert refused.value.code == "stale_version"
    assert not OpportunityContactRole.objects.exists()


def test_create_with_a_stranger_in_the_contact_roles_writes_nothing(actor, organization):
    stranger = ContactFactory(organization=OrganizationFactory(owner=actor))

    with pytest.raises(ValidationError) as exc:
        opportunity_create(
            actor=actor,
            name="Fleet",
            organization=organization,
            contact_roles=[(stranger, "user")],
        )

    assert exc.value.message_dict == {"contact": ["This contact works for another organization."]}
    assert not Opportunity.objects.exists()
    assert not Change.objects.filter(record_type="opportunity").exists()


def test_an_unknown_contact_role_is_refused(actor, opportunity, organization):
    with pytest.raises(ValidationError) as exc:
        opportunity_add_contact_role(
            actor=actor,
            opportunity=opportunity,
            contact=ContactFactory(organization=organization),
            role="champion",
        )

    assert exc.value.message_dict == {
        "role": [
            "Choose one of: decision_maker, economic_buyer, influencer, technical_evaluator, user."
        ]
    }


# --- moving through the stages -----------------------------------------------------------


def test_move_stage_follows_the_stage_and_records_history(actor, opportunity):
    moved = opportunity_move_stage(
        actor=actor, opportunity=opportunity, stage=stage_named("Proposal")
    )

    moved.refresh_from_db()
    assert (moved.stage.name, moved.probability, moved.forecast_category) == (
        "Proposal",
        50,
        "best_case",
    )
    assert moved.version == opportunity.version + 1
    change = Change.objects.filter(
        record_type="opportunity", record_id=moved.pk, field="stage"
    ).first()
    assert (change.old_value, change.new_value) == (
        str(stage_named("Qualification").pk),
        str(stage_named("Proposal").pk),
    )
    assert (change.old_label, change.new_label, change.actor) == (
        "Qualification",
        "Proposal",
        actor,
    )


def test_move_stage_keeps_a_probability_set_by_hand(actor, organization):
    opportunity = opportunity_create(
        actor=actor, name="Fleet", organization=organization, probability=60
    )

    moved = opportunity_move_stage(
        actor=actor, opportunity=opportunity, stage=stage_named("Negotiation")
    )

    assert moved.probability == 60
    assert moved.forecast_category == "commit"


@pytest.mark.parametrize(
    ("stage", "probability", "forecast"),
    [("Closed won", 100, "closed"), ("Closed lost", 0, "omitted")],
)
def test_a_closed_stage_overrides_a_probability_set_by_hand(
    actor, organization, stage, probability, forecast
):
    opportunity = opportunity_create(
        actor=actor,
        name="Fleet",
        organization=organization,
        probability=60,
        forecast_category="best_case",
    )

    moved = opportunity_move_stage(
        actor=actor, opportunity=opportunity, stage=stage_named(stage), lost_reason="Price"
    )

    assert (moved.probability, moved.forecast_category) == (probability, forecast)
    assert moved.is_closed


@pytest.mark.parametrize("reason", ["", "   "])
def test_moving_to_the_lost_stage_needs_a_reason(actor, opportunity, reason):
    with pytest.raises(ValidationError) as exc:
        opportunity_move_stage(
            actor=actor,
            opportunity=opportunity,
            stage=stage_named("Closed lost"),
            lost_reason=reason,
        )

    assert exc.value.message_dict == {"lost_reason": ["Say why the opportunity was lost."]}
    opportunity.refresh_from_db()
    assert (opportunity.stage.name, opportunity.is_closed) == ("Qualification", False)
    assert stage_history(opportunity) == [("", "Qualification", "")]


def test_moving_back_to_an_open_stage_reopens_a_lost_opportunity(actor, opportunity):
    opportunity_mark_lost(actor=actor, opportunity=opportunity, reason="Went with a competitor")

    reopened = opportunity_move_stage(
        actor=actor, opportunity=opportunity, stage=stage_named("Negotiation")
    )

    reopened.refresh_from_db()
    assert (reopened.is_closed, reopened.is_won, reopened.closed_at) == (False, False, None)
    assert reopened.lost_reason == ""
    assert (reopened.probability, reopened.forecast_category) == (75, "commit")
    assert stage_history(opportunity) == [
        ("", "Qualification", ""),
        ("Qualification", "Closed lost", "Went with a competitor"),
        ("Closed lost", "Negotiation", ""),
    ]


def test_moving_back_to_an_open_stage_reopens_a_won_opportunity(actor, opportunity):
    opportunity_mark_won(actor=actor, opportunity=opportunity)

    reopened = opportunity_move_stage(
        actor=actor, opportunity=opportunity, stage=stage_named("Proposal")
    )

    reopened.refresh_from_db()
    assert (reopened.is_closed, reopened.is_won, reopened.closed_at) == (False, False, None)
    assert (reopened.probability, reopened.forecast_category) == (50, "best_case")


def test_a_reopened_opportunity_does_not_keep_the_closed_probability(actor, organization):
    opportunity = opportunity_create(
        actor=actor, name="Fleet", organization=organization, probability=60
    )
    opportunity_mark_won(actor=actor, opportunity=opportunity)

    reopened = opportunity_move_stage(
        actor=actor, opportunity=opportunity, stage=stage_named("Proposal")
    )

    assert reopened.probability in (60, 50)


def test_winning_a_lost_opportunity_clears_the_lost_reason(actor, opportunity):
    opportunity_mark_lost(actor=actor, opportunity=opportunity, reason="Price")

    won = opportunity_mark_won(actor=actor, opportunity=opportunity)

    won.refresh_from_db()
    assert won.is_won
    assert won.lost_reason == ""


def test_a_stage_of_another_pipeline_is_refused(actor, opportunity, other_pipeline):
    with pytest.raises(ValidationError) as exc:
        opportunity_move_stage(
            actor=actor, opportunity=opportunity, stage=other_pipeline.stages.get(name="Intro")
        )

    assert exc.value.message_dict == {"stage": ["Stage “Intro” belongs to another pipeline."]}
    opportunity.refresh_from_db()
    assert opportunity.stage.name == "Qualification"


def test_moving_to_the_current_stage_changes_nothing(actor, opportunity):
    same = opportunity_move_stage(
        actor=actor, opportunity=opportunity, stage=stage_named("Qualification")
    )

    assert same.version == opportunity.version
    assert stage_history(opportunity) == [("", "Qualification", "")]


# --- winning and losing -------------------------------------------------------------------


def test_mark_won_closes_the_deal_and_makes_the_organization_a_customer(
    actor, opportunity, organization
):
    won = opportunity_mark_won(actor=actor, opportunity=opportunity)

    won.refresh_from_db()
    assert won.stage.name == "Closed won"
    assert (won.is_closed, won.is_won) == (True, True)
    assert (won.probability, won.forecast_category) == (100, "closed")
    assert won.closed_at is not None
    organization.refresh_from_db()
    assert organization.lifecycle == "customer"
    assert lifecycle_history(organization) == [("prospect", "customer", "Won “Fleet renewal”")]
    assert stage_history(won)[-1] == ("Qualification", "Closed won", "")


def test_winning_twice_is_a_conflict(actor, opportunity, organization):
    opportunity_mark_won(actor=actor, opportunity=opportunity)

    with pytest.raises(Conflict) as exc:
        opportunity_mark_won(actor=actor, opportunity=opportunity)

    assert exc.value.message == "This opportunity is already closed won."
    assert exc.value.code == "already_won"
    assert len(stage_history(opportunity)) == 2
    assert len(lifecycle_history(organization)) == 1


def test_winning_for_an_existing_customer_records_no_lifecycle_change(actor, organization):
    organization.lifecycle = "customer"
    organization.save()
    opportunity = opportunity_create(actor=actor, name="Upsell", organization=organization)

    opportunity_mark_won(actor=actor, opportunity=opportunity)

    assert lifecycle_history(organization) == []


@pytest.mark.parametrize("reason", ["", "  "])
def test_mark_lost_needs_a_reason(actor, opportunity, reason):
    with pytest.raises(ValidationError) as exc:
        opportunity_mark_lost(actor=actor, opportunity=opportunity, reason=reason)

    assert exc.value.message_dict == {"lost_reason": ["Say why the opportunity was lost."]}
    opportunity.refresh_from_db()
    assert not opportunity.is_closed


def test_mark_lost_stores_the_reason(actor, opportunity, organization):
    lost = opportunity_mark_lost(actor=actor, opportunity=opportunity, reason="No budget this year")

    lost.refresh_from_db()
    assert lost.stage.name == "Closed lost"
    assert (lost.is_closed, lost.is_won) == (True, False)
    assert lost.lost_reason == "No budget this year"
    assert (lost.probability, lost.forecast_category) == (0, "omitted")
    assert stage_history(lost)[-1] == ("Qualification", "Closed lost", "No budget this year")
    organization.refresh_from_db()
    assert organization.lifecycle == "prospect"


def test_losing_twice_is_a_conflict(actor, opportunity):
    opportunity_mark_lost(actor=actor, opportunity=opportunity, reason="Price")

    with pytest.raises(Conflict) as exc:
        opportunity_mark_lost(actor=actor, opportunity=opportunity, reason="Timing")

    assert exc.value.message == "This opportunity is already closed lost."
    opportunity.refresh_from_db()
    assert opportunity.lost_reason == "Price"


# --- updating -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("is_closed", True),
        ("is_won", True),
        ("closed_at", "2030-01-01T00:00:00Z"),
        ("lost_reason", "Price"),
        ("stage", "closed-won"),
        ("pipeline", None),
        ("version", 7),
    ],
)
def test_update_refuses_fields_that_change_only_through_the_stage_operations(
    actor, opportunity, field, value
):
    if value == "closed-won":
        value = stage_named("Closed won")

    with pytest.raises(ValidationError) as exc:
        opportunity_update(actor=actor, opportunity=opportunity, **{field: value})

    assert exc.value.message_dict == {field: [NOT_EDITABLE]}
    opportunity.refresh_from_db()
    assert (opportunity.is_closed, opportunity.is_won, opportunity.stage.name) == (
        False,
        False,
        "Qualification",
    )
    assert opportunity.version == 1


def test_update_changes_fields_and_bumps_the_version(actor, opportunity):
    updated = opportunity_update(
        actor=actor,
        opportunity=opportunity,
        expected_version=1,
        amount="4999.99",
        currency="sek",
        next_step="Send offer",
    )

    updated.refresh_from_db()
    assert (updated.amount, updated.currency, updated.next_step) == (
        Decimal("4999.99"),
        "SEK",
        "Send offer",
    )
    assert updated.version == 2


def test_update_with_a_stale_version_is_a_conflict(actor, opportunity):
    opportunity_update(actor=actor, opportunity=opportunity, expected_version=1, amount=100)

    with pytest.raises(Conflict) as exc:
        opportunity_update(actor=actor, opportunity=opportunity, expected_version=1, amount=200)

    assert exc.value.message == (
        "This record was changed by someone else (version 2, you edited version 1). "
        "Reload it and apply your change again."
    )
    assert exc.value.code == "stale_version"
    opportunity.refresh_from_db()
    assert opportunity.amount == Decimal("100.00")


def test_update_refuses_a_bad_currency_and_keeps_the_record(actor, opportunity):
    with pytest.raises(ValidationError) as exc:
        opportunity_update(actor=actor, opportunity=opportunity, currency="Euro", amount=5)

    assert exc.value.message_dict == {"currency": ["“Euro” is not an ISO 4217 currency code."]}
    opportunity.refresh_from_db()
    assert (opportunity.currency, opportunity.amount, opportunity.version) == ("EUR", None, 1)


def test_a_probability_set_by_hand_on_update_sticks(actor, opportunity):
    updated = opportunity_update(actor=actor, opportunity=opportunity, probability=40)

    assert (updated.probability, updated.probability_is_manual) == (40, True)
    moved = opportunity_move_stage(
        actor=actor, opportunity=updated, stage=stage_named("Needs analysis")
    )
    assert moved.probability == 40


def test_a_won_opportunity_stays_at_100_percent(actor, opportunity):
    opportunity_mark_won(actor=actor, opportunity=opportunity)

    updated = opportunity_update(actor=actor, opportunity=opportunity, probability=30)

    assert updated.probability == 100


def test_clearing_the_probability_makes_it_follow_the_stage_again(actor, opportunity):
    opportunity_update(actor=actor, opportunity=opportunity, probability=40)

    updated = opportunity_update(actor=actor, opportunity=opportunity, probability=None)

    assert (updated.probability, updated.probability_is_manual) == (10, False)


def test_clearing_the_forecast_category_makes_it_follow_the_stage_again(actor, opportunity):
    opportunity_update(actor=actor, opportunity=opportunity, forecast_category="commit")

    updated = opportunity_update(actor=actor, opportunity=opportunity, forecast_category="")
    moved = opportunity_move_stage(actor=actor, opportunity=updated, stage=stage_named("Proposal"))

    assert (updated.forecast_category, updated.forecast_category_is_manual) == ("pipeline", False)
    assert moved.forecast_category == "best_case"


# --- concurrency ------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_winning_at_once_win_once():
    actor = UserFactory()
    organization = OrganizationFactory(owner=actor)
    opportunity = opportunity_create(actor=actor, name="Race", organization=organization)
    barrier = threading.Barrier(2)
    outcomes = []

    def win():
        try:
            barrier.wait()
            opportunity_mark_won(actor=actor, opportunity=opportunity)
            outcomes.append("won")
        except Conflict as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=win) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["This opportunity is already closed won.", "won"]
    assert len(stage_history(opportunity)) == 2
    assert len(lifecycle_history(organization)) == 1


# --- A deactivated pipeline takes no opportunity --------------------------------------------


def test_a_stage_of_a_deactivated_pipeline_is_refused_on_create(
    actor, organization, other_pipeline
):
    pipeline_update(actor=None, pipeline=other_pipeline, is_active=False)

    with pytest.raises(ValidationError) as refused:
        opportunity_create(
            actor=actor,
            name="Fleet",
            organization=organization,
            stage=other_pipeline.stages.get(name="Intro"),
        )

    assert refused.value.message_dict == {
        "stage": ["Stage “Intro” belongs to the deactivated pipeline “Partners”."]
    }
    assert not Opportunity.objects.exists()


def test_a_deactivated_pipeline_is_refused_on_create(actor, organization, other_pipeline):
    pipeline_update(actor=None, pipeline=other_pipeline, is_active=False)

    with pytest.raises(ValidationError) as refused:
        opportunity_create(
            actor=actor, name="Fleet", organization=organization, pipeline=other_pipeline
        )

    assert refused.value.message_dict == {"pipeline": ["Pipeline “Partners” is deactivated."]}


def test_no_move_into_a_stage_of_a_deactivated_pipeline(actor, organization, other_pipeline):
    opportunity = opportunity_create(
        actor=actor,
        name="Fleet",
        organization=organization,
        stage=other_pipeline.stages.get(name="Intro"),
    )
    pipeline_update(actor=None, pipeline=other_pipeline, is_active=False)

    with pytest.raises(ValidationError) as refused:
        opportunity_move_stage(
            actor=actor, opportunity=opportunity, stage=other_pipeline.stages.get(name="Signed")
        )

    assert refused.value.message_dict == {
        "stage": ["Stage “Signed” belongs to the deactivated pipeline “Partners”."]
    }
    assert Opportunity.objects.get(pk=opportunity.pk).stage.name == "Intro"
