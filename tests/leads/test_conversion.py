"""Converting a lead into a contact, an organization and an opportunity."""

import calendar
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import (
    ActivityFactory,
    ContactFactory,
    LeadFactory,
    ManagerFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
)
from vorsprung.activities.models import Activity
from vorsprung.activities.services import activity_create
from vorsprung.core.errors import Conflict
from vorsprung.customers.models import Contact, Organization
from vorsprung.history.models import Change
from vorsprung.leads.models import Lead
from vorsprung.leads.services import lead_change_status, lead_convert, lead_create, lead_update
from vorsprung.sales.models import Opportunity, Pipeline
from vorsprung.sales.services import pipeline_create


def end_of_this_quarter() -> datetime.date:
    today = timezone.localdate()
    month = (today.month - 1) // 3 * 3 + 3
    return datetime.date(today.year, month, calendar.monthrange(today.year, month)[1])


@pytest.fixture
def lead(rep):
    return lead_create(
        actor=rep,
        salutation="ms",
        first_name="Ingrid",
        last_name="Solberg",
        email="ingrid.solberg@fjord-energy.example",
        phone="22 12 34 56",
        mobile="+47 412 34 567",
        job_title="Head of Procurement",
        company="Fjord Energy AS",
        website="www.fjord-energy.example",
        industry="energy",
        employee_count=120,
        annual_revenue="25000000",
        street="Havnegata 1",
        postal_code="0150",
        city="Oslo",
        country="NO",
        source="trade_show",
        is_decision_maker=True,
        budget_amount="48000",
        budget_currency="NOK",
    )


@pytest.fixture
def other_pipeline(db):
    return pipeline_create(
        actor=None,
        name="Partners",
        stages=[
            {"name": "Scoping", "probability": 20, "forecast_category": "pipeline"},
            {"name": "Signed", "probability": 100, "forecast_category": "closed", "is_won": True},
            {"name": "Dropped", "probability": 0, "forecast_category": "omitted", "is_lost": True},
        ],
    )


# --- A new contact, organization and opportunity ----------------------------------------


def test_the_contact_is_made_from_the_person_on_the_lead(rep, lead):
    result = lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead)

    contact = Contact.objects.get(pk=result.contact.pk)
    assert (contact.salutation, contact.first_name, contact.last_name) == (
        "ms",
        "Ingrid",
        "Solberg",
    )
    assert contact.email == "ingrid.solberg@fjord-energy.example"
    assert (contact.phone, contact.mobile) == ("+4722123456", "+4741234567")
    assert contact.job_title == "Head of Procurement"
    assert contact.is_decision_maker is True
    assert (contact.street, contact.postal_code, contact.city, contact.country.code) == (
        "Havnegata 1",
        "0150",
        "Oslo",
        "NO",
    )
    assert contact.organization == result.organization
    assert contact.owner == rep


def test_the_organization_is_made_from_the_company_on_the_lead(rep, lead):
    result = lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead)

    organization = Organization.objects.get(pk=result.organization.pk)
    assert organization.name == "Fjord Energy AS"
    assert organization.website == "https://www.fjord-energy.example"
    assert organization.domain == "fjord-energy.example"
    assert (organization.industry, organization.employee_count) == ("energy", 120)
    assert organization.size_band == "51-200"
    assert organization.annual_revenue == Decimal("25000000.00")
    assert organization.annual_revenue_currency == "EUR"
    assert organization.phone == "+4722123456"
    assert (organization.city, organization.country.code) == ("Oslo", "NO")
    assert organization.lifecycle == "prospect"
    assert organization.owner == rep


def test_the_opportunity_gets_sensible_defaults_and_carries_the_lead_over(rep, lead):
    result = lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead)

    opportunity = Opportunity.objects.select_related("pipeline", "stage").get(
        pk=result.opportunity.pk
    )
    assert opportunity.name == "Fjord Energy AS"
    assert opportunity.expected_close_date == end_of_this_quarter()
    assert (opportunity.pipeline.name, opportunity.pipeline.is_default) == ("Sales", True)
    assert opportunity.stage.name == "Qualification"
    assert opportunity.probability == 10
    assert (opportunity.amount, opportunity.currency) == (Decimal("48000.00"), "NOK")
    assert opportunity.source_lead == lead
    assert opportunity.source == "trade_show"
    assert opportunity.owner == rep
    assert opportunity.organization == result.organization
    assert opportunity.primary_contact == result.contact
    assert opportunity.is_closed is False


def test_a_decision_maker_lead_becomes_the_decision_maker_on_the_opportunity(rep, lead):
    result = lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead)

    roles = result.opportunity.contact_roles.values_list("contact_id", "role")
    assert list(roles) == [(result.contact.pk, "decision_maker")]


def test_a_lead_not_known_as_decision_maker_gets_no_contact_role(rep):
    lead = LeadFactory(owner=rep, is_decision_maker=None)

    result = lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead)

    assert not result.opportunity.contact_roles.exists()
    assert result.contact.is_decision_maker is False


def test_the_expected_decision_date_becomes_the_close_date(rep):
    decision = datetime.date(2031, 5, 15)
    lead = LeadFactory(owner=rep, expected_decision_date=decision)

    result = lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead)

    assert Opportunity.objects.get(pk=result.opportunity.pk).expected_close_date == decision


def test_a_past_decision_date_gives_way_to_the_end_of_the_quarter(rep):
    lead = LeadFactory(owner=rep, expected_decision_date=datetime.date(2020, 5, 15))

    result = lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead)

    assert result.opportunity.expected_close_date == end_of_this_quarter()


def test_the_caller_can_set_every_opportunity_option(rep, lead):
    closer = UserFactory(team=rep.team)
    pipeline = Pipeline.objects.get(is_default=True)
    needs_analysis = pipeline.stages.get(name="Needs analysis")

    result = lead_convert(
        accept_qualification_gaps=True,
        actor=rep,
        lead=lead,
        opportunity={
            "name": "Fjord Energy — grid sensors",
            "amount": "75 000",
            "currency": "eur",
            "close_date": datetime.date(2030, 6, 30),
            "pipeline": pipeline,
            "stage": needs_analysis,
            "owner": closer,
        },
    )

    opportunity = Opportunity.objects.get(pk=result.opportunity.pk)
    assert opportunity.name == "Fjord Energy — grid sensors"
    assert (opportunity.amount, opportunity.currency) == (Decimal("75000.00"), "EUR")
    assert opportunity.expected_close_date == datetime.date(2030, 6, 30)
    assert (opportunity.stage, opportunity.probability) == (needs_analysis, 25)
    assert opportunity.owner == closer


def test_a_stage_alone_puts_the_opportunity_in_that_stages_pipeline(rep, lead, other_pipeline):
    scoping = other_pipeline.stages.get(name="Scoping")

    result = lead_convert(
        accept_qualification_gaps=True, actor=rep, lead=lead, opportunity={"stage": scoping}
    )

    opportunity = Opportunity.objects.get(pk=result.opportunity.pk)
    assert (opportunity.pipeline, opportunity.stage) == (other_pipeline, scoping)


def test_converting_without_an_opportunity(rep, lead, record_counts):
    before = record_counts()

    result = lead_convert(
        accept_qualification_gaps=True, actor=rep, lead=lead, create_opportunity=False
    )

    assert result.opportunity is None
    assert result.lead.converted_opportunity is None
    after = record_counts()
    assert after["opportunities"] == before["opportunities"]
    assert after["contacts"] == before["contacts"] + 1
    assert after["organizations"] == before["organizations"] + 1


def test_the_records_belong_to_the_leads_owner_even_when_a_manager_converts(rep, lead):
    manager = ManagerFactory(team=rep.team)

    result = lead_convert(accept_qualification_gaps=True, actor=manager, lead=lead)

    assert result.contact.owner == rep
    assert result.organization.owner == rep
    assert result.opportunity.owner == rep
    entry = Change.objects.filter(record_type="lead", record_id=lead.pk).latest("id")
    assert entry.actor == manager


def test_an_unowned_lead_is_converted_into_records_owned_by_whoever_converts_it(rep):
    # Unowned leads are the managers' queue: only they see them.
    manager = ManagerFactory(team=rep.team)
    lead = LeadFactory(owner=None)

    result = lead_convert(accept_qualification_gaps=True, actor=manager, lead=lead)

    assert result.contact.owner == manager
    assert result.organization.owner == manager
    assert result.opportunity.owner == manager


# --- The lead afterwards -----------------------------------------------------------------


def test_the_lead_becomes_converted_and_links_to_what_it_became(rep, lead):
    moment = timezone.now()

    result = lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead)

    stored = Lead.objects.get(pk=lead.pk)
    assert stored.status == "converted"
    assert stored.converted_at >= moment
    assert stored.converted_contact == result.contact
    assert stored.converted_organization == result.organization
    assert stored.converted_opportunity == result.opportunity
    entries = {
        entry.field: entry
        for entry in Change.objects.filter(
            record_type="lead", record_id=lead.pk, action="converted"
        )
    }
    assert set(entries) == {
        "status",
        "converted_contact",
        "converted_organization",
        "converted_opportunity",
    }
    status = entries["status"]
    assert (status.old_value, status.new_value, status.actor) == ("new", "converted", rep)
    assert entries["converted_contact"].new_label == str(result.contact)
    assert entries["converted_organization"].new_label == result.organization.name
    assert entries["converted_opportunity"].new_label == result.opportunity.name


def test_the_leads_activities_move_onto_the_new_timelines(rep, lead):
    call = activity_create(actor=rep, kind="call", subject="Discovery call", lead=lead)
    note = activity_create(actor=rep, kind="note", subject="Wants sensors", lead=lead)
    elsewhere = ActivityFactory(subject="Another lead's call")

    result = lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead)

    for activity in (call, note):
        activity.refresh_from_db()
        assert activity.contact == result.contact
        assert activity.organization == result.organization
        assert activity.opportunity == result.opportunity
        assert activity.lead_id == lead.pk
    assert set(result.contact.activities.all()) == {call, note}
    assert set(result.opportunity.activities.all()) == {call, note}
    elsewhere.refresh_from_db()
    assert (elsewhere.contact, elsewhere.organization, elsewhere.opportunity) == (None, None, None)


def test_converting_twice_is_refused_and_writes_nothing(rep, lead, record_counts):
    lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead)
    before = record_counts()

    with pytest.raises(Conflict) as refused:
        lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead)

    assert refused.value.message == "This lead is already converted."
    assert refused.value.code == "already_converted"
    assert record_counts() == before


def read_only_message(lead: Lead) -> str:
    converted_on = timezone.localtime(lead.converted_at).strftime("%Y-%m-%d %H:%M")
    return (
        f"This lead was converted on {converted_on} and is read-only; change the contact, "
        "organization or opportunity it became instead."
    )


def test_a_converted_lead_cannot_be_edited(rep, lead):
    converted = lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead).lead

    with pytest.raises(Conflict) as refused:
        lead_update(actor=rep, lead=lead, job_title="CEO")

    assert refused.value.message == read_only_message(converted)
    assert Lead.objects.get(pk=lead.pk).job_title == "Head of Procurement"


@pytest.mark.parametrize("status", ["new", "working", "nurturing", "unqualified"])
def test_a_converted_lead_cannot_change_status(rep, lead, status):
    converted = lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead).lead

    with pytest.raises(Conflict) as refused:
        lead_change_status(actor=rep, lead=lead, status=status, reason="Duplicate")

    assert refused.value.message == read_only_message(converted)
    assert Lead.objects.get(pk=lead.pk).status == "converted"


def test_no_activity_can_be_logged_on_a_converted_lead(rep, lead, record_counts):
    result = lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead)
    before = record_counts()

    with pytest.raises(ValidationError) as invalid:
        activity_create(actor=rep, kind="call", subject="Follow-up", lead=result.lead)

    assert invalid.value.message_dict == {
        "lead": ["This lead is converted and read-only; log the activity on its contact instead."]
    }
    assert record_counts() == before
    activity_create(actor=rep, kind="call", subject="Follow-up", contact=result.contact)


# --- Attaching to existing records --------------------------------------------------------


@pytest.fixture
def fjord(rep):
    return OrganizationFactory(
        name="Fjord Energy ASA",
        owner=rep,
        city="Bergen",
        country="NO",
        website="",
        domain="",
        industry="",
        employee_count=None,
    )


def test_attaching_to_an_organization_fills_only_its_empty_fields(rep, lead, fjord, record_counts):
    before = record_counts()

    result = lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead, organization=fjord)

    assert result.organization == fjord
    assert record_counts()["organizations"] == before["organizations"]
    fjord.refresh_from_db()
    assert fjord.name == "Fjord Energy ASA"
    assert (fjord.city, fjord.country.code) == ("Bergen", "NO")
    assert fjord.website == "https://www.fjord-energy.example"
    assert fjord.domain == "fjord-energy.example"
    assert (fjord.industry, fjord.employee_count, fjord.size_band) == ("energy", 120, "51-200")
    assert (fjord.street, fjord.postal_code) == ("Havnegata 1", "0150")
    assert result.contact.organization == fjord
    assert result.opportunity.organization == fjord
    assert result.opportunity.name == "Fjord Energy AS"


def test_attaching_to_a_contact_fills_only_its_empty_fields(rep, lead, fjord, record_counts):
    kari = ContactFactory(
        organization=fjord,
        first_name="Kari",
        last_name="Nordmann",
        email="kari@fjord.example",
        phone="+4755123456",
        mobile="",
        job_title="",
        is_decision_maker=False,
    )
    before = record_counts()

    result = lead_convert(
        accept_qualification_gaps=True, actor=rep, lead=lead, organization=fjord, contact=kari
    )

    assert (result.contact, result.organization) == (kari, fjord)
    after = record_counts()
    assert (after["contacts"], after["organizations"]) == (
        before["contacts"],
        before["organizations"],
    )
    kari.refresh_from_db()
    assert (kari.first_name, kari.last_name) == ("Kari", "Nordmann")
    assert (kari.email, kari.phone) == ("kari@fjord.example", "+4755123456")
    assert (kari.mobile, kari.job_title) == ("+4741234567", "Head of Procurement")
    assert kari.is_decision_maker is True
    assert result.opportunity.primary_contact == kari
    assert Lead.objects.get(pk=lead.pk).converted_contact == kari


def test_a_contact_alone_brings_its_organization(rep, lead, fjord, record_counts):
    kari = ContactFactory(organization=fjord, last_name="Nordmann")
    before = record_counts()

    result = lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead, contact=kari)

    assert result.organization == fjord
    assert result.opportunity.organization == fjord
    assert record_counts()["organizations"] == before["organizations"]


def test_a_contact_without_organization_joins_the_chosen_one(rep, lead, fjord):
    freelancer = ContactFactory(organization=None, owner=rep, last_name="Nordmann")

    result = lead_convert(
        accept_qualification_gaps=True, actor=rep, lead=lead, organization=fjord, contact=freelancer
    )

    freelancer.refresh_from_db()
    assert freelancer.organization == fjord
    assert result.opportunity.primary_contact == freelancer


def test_a_contact_without_organization_joins_the_one_made_from_the_company(rep, lead):
    freelancer = ContactFactory(organization=None, owner=rep, last_name="Nordmann")

    result = lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead, contact=freelancer)

    freelancer.refresh_from_db()
    assert result.organization.name == "Fjord Energy AS"
    assert freelancer.organization == result.organization


# --- A lead without a company -----------------------------------------------------------


@pytest.fixture
def private_lead(rep):
    return lead_create(actor=rep, first_name="Ola", last_name="Hansen", email="ola@gmail.com")


def test_a_lead_without_company_converts_to_a_contact_alone(rep, private_lead, record_counts):
    before = record_counts()

    result = lead_convert(
        accept_qualification_gaps=True, actor=rep, lead=private_lead, create_opportunity=False
    )

    assert result.organization is None
    assert result.opportunity is None
    assert result.contact.organization is None
    assert (result.contact.last_name, result.contact.email) == ("Hansen", "ola@gmail.com")
    after = record_counts()
    assert after["contacts"] == before["contacts"] + 1
    assert after["organizations"] == before["organizations"]
    stored = Lead.objects.get(pk=private_lead.pk)
    assert (stored.status, stored.converted_organization) == ("converted", None)


def test_an_opportunity_without_company_needs_a_chosen_organization(
    rep, private_lead, record_counts
):
    before = record_counts()

    with pytest.raises(ValidationError) as invalid:
        lead_convert(accept_qualification_gaps=True, actor=rep, lead=private_lead)

    assert invalid.value.message_dict == {
        "create_opportunity": [
            "An opportunity needs an organization: the lead names no company; pick an "
            "existing organization or convert without an opportunity."
        ]
    }
    assert record_counts() == before
    assert Lead.objects.get(pk=private_lead.pk).status == "new"


def test_an_opportunity_without_company_goes_to_the_chosen_organization(rep, private_lead, fjord):
    result = lead_convert(
        accept_qualification_gaps=True, actor=rep, lead=private_lead, organization=fjord
    )

    assert result.contact.organization == fjord
    assert (result.opportunity.organization, result.opportunity.name) == (
        fjord,
        "Fjord Energy ASA",
    )


# --- Bad input writes nothing -----------------------------------------------------------


BAD_INPUT = {
    "bad currency": (
        {"opportunity": {"currency": "XXX1"}},
        {"opportunity.currency": ["“XXX1” is not an ISO 4217 currency code."]},
    ),
    "negative amount": (
        {"opportunity": {"amount": "-500"}},
        {"opportunity.amount": ["The amount cannot be negative."]},
    ),
    "unknown option": (
        {"opportunity": {"name": "Deal", "discount": 10}},
        {"opportunity.discount": ["This field does not exist."]},
    ),
    "impossible close date": (
        {"opportunity": {"close_date": "2030-02-31"}},
        {
            "opportunity.close_date": [
                "“2030-02-31” value has the correct format (YYYY-MM-DD) but it is an invalid date."
            ]
        },
    ),
}


@pytest.mark.parametrize(("arguments", "errors"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_opportunity_input_writes_nothing(rep, lead, record_counts, arguments, errors):
    activity_create(actor=rep, kind="note", subject="Met at the fair", lead=lead)
    before = record_counts()

    with pytest.raises(ValidationError) as invalid:
        lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead, **arguments)

    assert invalid.value.message_dict == errors
    assert_nothing_written(lead, before, record_counts())


def test_a_stage_from_another_pipeline_writes_nothing(rep, lead, other_pipeline, record_counts):
    before = record_counts()

    with pytest.raises(ValidationError) as invalid:
        lead_convert(
            accept_qualification_gaps=True,
            actor=rep,
            lead=lead,
            opportunity={
                "pipeline": Pipeline.objects.get(is_default=True),
                "stage": other_pipeline.stages.get(name="Scoping"),
            },
        )

    assert invalid.value.message_dict == {
        "opportunity.stage": ["Stage “Scoping” is not part of pipeline “Sales”."]
    }
    assert_nothing_written(lead, before, record_counts())


def test_a_contact_from_another_organization_writes_nothing(rep, lead, fjord, record_counts):
    stranger = ContactFactory(organization=OrganizationFactory(name="Elsewhere GmbH"))
    before = record_counts()

    with pytest.raises(ValidationError) as invalid:
        lead_convert(
            accept_qualification_gaps=True,
            actor=rep,
            lead=lead,
            organization=fjord,
            contact=stranger,
        )

    assert invalid.value.message_dict == {
        "contact_id": ["This contact belongs to another organization than the one chosen."]
    }
    assert_nothing_written(lead, before, record_counts())
    fjord.refresh_from_db()
    assert fjord.website == ""


def test_bad_input_leaves_an_attached_organization_untouched(rep, lead, fjord):
    with pytest.raises(ValidationError):
        lead_convert(
            accept_qualification_gaps=True,
            actor=rep,
            lead=lead,
            organization=fjord,
            opportunity={"amount": -1},
        )

    fjord.refresh_from_db()
    assert (fjord.website, fjord.industry, fjord.employee_count) == ("", "", None)
    assert not fjord.contacts.exists()


def assert_nothing_written(lead: Lead, before: dict, after: dict) -> None:
    assert after == before
    stored = Lead.objects.get(pk=lead.pk)
    assert stored.status == "new"
    assert stored.converted_at is None
    assert (
        stored.converted_contact,
        stored.converted_organization,
        stored.converted_opportunity,
    ) == (None, None, None)
    assert not Activity.objects.filter(lead=lead, contact__isnull=False).exists()


def test_a_company_address_gives_the_new_organization_its_domain(rep):
    lead = lead_create(
        actor=rep, last_name="Lund", email="lund@havbruk.example", company="Havbruk AS"
    )

    result = lead_convert(
        accept_qualification_gaps=True, actor=rep, lead=lead, create_opportunity=False
    )

    assert result.organization.domain == "havbruk.example"
    assert result.organization.website == ""


def test_activities_keep_links_they_already_had_to_other_records(rep, lead, fjord):
    other_deal = Opportunity.objects.create(
        name="Earlier deal",
        organization=fjord,
        pipeline=Pipeline.objects.get(is_default=True),
        stage=Pipeline.objects.get(is_default=True).stages.get(name="Proposal"),
        probability=50,
        forecast_category="best_case",
        currency="EUR",
        expected_close_date=datetime.date(2030, 1, 31),
    )
    linked = ActivityFactory(lead=lead, owner=rep, organization=fjord, opportunity=other_deal)
    plain = ActivityFactory(lead=lead, owner=rep)

    result = lead_convert(accept_qualification_gaps=True, actor=rep, lead=lead)

    linked.refresh_from_db()
    plain.refresh_from_db()
    assert (linked.contact, linked.organization, linked.opportunity) == (
        result.contact,
        fjord,
        other_deal,
    )
    assert (plain.contact, plain.organization, plain.opportunity) == (
        result.contact,
        result.organization,
        result.opportunity,
    )


def test_a_lead_the_actor_may_not_see_cannot_be_converted(db):
    lead = LeadFactory(owner=UserFactory(team=TeamFactory()))
    stranger = UserFactory(team=TeamFactory())

    with pytest.raises(Lead.DoesNotExist):
        lead_convert(actor=stranger, lead=lead, accept_qualification_gaps=True)

    lead.refresh_from_db()
    assert lead.status == "new"
    assert not Contact.objects.exists()


def _conversion_queries(lead) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        lead_convert(actor=lead.owner, lead=lead, accept_qualification_gaps=True)
    return [query["sql"] for query in captured.captured_queries]


def test_a_conversion_costs_the_same_few_queries_however_many_activities_the_lead_has(db):
    owner = UserFactory(team=TeamFactory())
    quiet = LeadFactory(owner=owner, company="Fjord Energy AS")
    busy = LeadFactory(owner=owner, company="Nordpharma GmbH", is_decision_maker=True)
    ActivityFactory(lead=quiet)
    for _ in range(20):
        ActivityFactory(lead=busy)

    quiet_queries = _conversion_queries(quiet)
    busy_queries = _conversion_queries(busy)

    # Lock and read the lead with the conversion policy, read the default pipeline's
    # first stage and the lead's activities; insert organization, contact and
    # opportunity; move the activities; update the lead; one insert for every history
    # entry; the savepoint.
    assert len(quiet_queries) == 11, "\n".join(quiet_queries)
    # A decision maker also gets their contact role on the opportunity.
    assert len(busy_queries) == len(quiet_queries) + 1, "\n".join(busy_queries)
    assert Activity.objects.filter(opportunity__source_lead=busy).count() == 20


def test_a_stage_of_a_deactivated_pipeline_writes_nothing(rep, lead, other_pipeline, record_counts):
    other_pipeline.is_active = False
    other_pipeline.save()
    before = record_counts()

    with pytest.raises(ValidationError) as invalid:
        lead_convert(
            accept_qualification_gaps=True,
            actor=rep,
            lead=lead,
            opportunity={"stage": other_pipeline.stages.get(name="Scoping")},
        )

    assert invalid.value.message_dict == {
        "opportunity.stage": ["Stage “Scoping” belongs to the deactivated pipeline “Partners”."]
    }
    assert_nothing_written(lead, before, record_counts())
