"""Creating and editing leads, and what logging an activity does to a lead."""

import datetime
import re
from decimal import Decimal

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.factories import LeadFactory, UserFactory
from vorsprung.activities.models import Activity
from vorsprung.activities.services import activity_create
from vorsprung.core.errors import Conflict
from vorsprung.history.models import Change
from vorsprung.leads.models import Lead
from vorsprung.leads.services import lead_change_status, lead_create, lead_update

E164 = re.compile(r"\+[1-9][0-9]{1,14}")
E164_FORMAT = phonenumbers.PhoneNumberFormat.E164
NEEDS_NAME_OR_EMAIL = {"last_name": ["A lead needs at least a last name or an e-mail address."]}
PARSED_FIELDS = {"email", "phone", "mobile", "country", "budget_amount", "budget_currency"}

hypothesis_settings = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

emails = st.one_of(
    st.emails(),
    st.text(max_size=40),
    st.sampled_from(["", "  ", "MAILTO:Ada@Example.COM", "ada@", "@example.com", "ada@müller.de"]),
)
phones = st.one_of(
    st.text(max_size=25),
    st.from_regex(r"(\+|00)?[0-9 ()/-]{0,20}", fullmatch=True),
    st.sampled_from(["", "030 1234567", "+47 22 12 34 56", "0049 (30) 123-4567", "call me"]),
)
countries = st.one_of(
    st.sampled_from(["", "DE", "no", "NOR", "Germany", "Deutschland", "Atlantis"]),
    st.text(max_size=8),
)
amounts = st.one_of(
    st.none(),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**17), max_value=10**17),
    st.text(max_size=12),
)
currencies = st.one_of(
    st.sampled_from(["", "EUR", "nok", " usd ", "XXX1", "EURO"]), st.text(max_size=5)
)


def assert_is_stored_canonically(lead: Lead) -> None:
    """What a stored lead looks like whatever was typed: canonical e-mail, E.164 phones,
    a known country, a non-negative amount in a currency code."""
    if lead.email:
        validate_email(lead.email)
        assert lead.email == lead.email.lower()
    for number in (lead.phone, lead.mobile):
        if number:
            assert E164.fullmatch(number), number
            parsed = phonenumbers.parse(number)
            assert phonenumbers.is_valid_number(parsed)
            assert phonenumbers.format_number(parsed, E164_FORMAT) == number
    if lead.country:
        assert len(lead.country.code) == 2
    if lead.budget_amount is not None:
        assert lead.budget_amount >= 0
        assert re.fullmatch(r"[A-Z]{3}", lead.budget_currency)
    assert lead.last_name or lead.email


# --- Create -----------------------------------------------------------------------------


def test_a_lead_is_created_new_owned_by_its_creator_with_canonical_values(rep):
    lead = lead_create(
        actor=rep,
        first_name=" Ada ",
        last_name="Lovelace",
        email="  Ada.Lovelace@Analytical-Engines.CO.UK ",
        phone="030 1234567",
        mobile="0049 151 23456789",
        company="Analytical Engines Ltd",
        website="www.analytical-engines.co.uk",
        country="Germany",
        budget_amount="12 500.5",
        budget_currency=" gbp ",
        employee_count=42,
    )

    stored = Lead.objects.get(pk=lead.pk)
    assert stored.status == "new"
    assert stored.owner == rep
    assert stored.first_name == "Ada"
    assert stored.email == "ada.lovelace@analytical-engines.co.uk"
    assert stored.phone == "+49301234567"
    assert stored.mobile == "+4915123456789"
    assert stored.website == "https://www.analytical-engines.co.uk"
    assert stored.domain == "analytical-engines.co.uk"
    assert stored.country.code == "DE"
    assert stored.budget_amount == Decimal("12500.50")
    assert stored.budget_currency == "GBP"
    assert stored.size_band == "11-50"


def test_a_national_phone_number_is_read_in_the_leads_country(rep):
    lead = lead_create(actor=rep, last_name="Hansen", country="NO", phone="22 12 34 56")

    assert Lead.objects.get(pk=lead.pk).phone == "+4722123456"


def test_a_budget_without_currency_gets_the_default_currency(rep, settings):
    settings.VORSPRUNG_DEFAULT_CURRENCY = "NOK"

    lead = lead_create(actor=rep, last_name="Hansen", budget_amount=5000)

    assert Lead.objects.get(pk=lead.pk).budget_currency == "NOK"


def test_the_domain_comes_from_the_email_unless_it_is_a_free_mail_provider(rep):
    company_lead = lead_create(actor=rep, email="jo@nordlicht-energie.example")
    free_mail_lead = lead_create(actor=rep, email="jo.private@gmail.com")

    assert company_lead.domain == "nordlicht-energie.example"
    assert free_mail_lead.domain == ""


@pytest.mark.parametrize(
    "person",
    [{"last_name": "Okafor"}, {"email": "chi@okafor.example"}],
    ids=["last name only", "email only"],
)
def test_a_last_name_or_an_email_is_enough(rep, person):
    lead = lead_create(actor=rep, **person)

    assert Lead.objects.filter(pk=lead.pk).exists()


@pytest.mark.parametrize(
    "person",
    [{}, {"first_name": "Chi", "company": "Okafor Ltd"}, {"last_name": "   ", "email": " "}],
    ids=["nothing", "first name and company", "blanks"],
)
def test_a_lead_without_last_name_and_email_is_refused(rep, record_counts, person):
    before = record_counts()

    with pytest.raises(ValidationError) as invalid:
        lead_create(actor=rep, **person)

    assert invalid.value.message_dict == NEEDS_NAME_OR_EMAIL
    assert record_counts() == before


def test_every_unreadable_field_is_named_at_once_and_nothing_is_written(rep, record_counts):
    before = record_counts()

    with pytest.raises(ValidationError) as invalid:
        lead_create(
            actor=rep,
            last_name="Schmidt",
            email="schmidt.example.com",
            phone="call me",
            budget_currency="XXX1",
            budget_amount="-10",
            country="Atlantis",
        )

    assert invalid.value.message_dict == {
        "email": ["“schmidt.example.com” is not an e-mail address: it has no @."],
        "phone": ["“call me” is not a phone number we can read."],
        "budget_currency": ["“XXX1” is not an ISO 4217 currency code."],
        "budget_amount": ["The amount cannot be negative."],
        "country": ["“Atlantis” is not a country we know."],
    }
    assert record_counts() == before


def test_an_invalid_email_is_refused(rep, record_counts):
    before = record_counts()

    with pytest.raises(ValidationError) as invalid:
        lead_create(actor=rep, last_name="Schmidt", email="schmidt@exa mple.com")

    assert invalid.value.message_dict == {
        "email": ["“schmidt@exa mple.com” is not a valid e-mail address."]
    }
    assert record_counts() == before


def test_a_field_that_is_not_a_lead_field_is_refused(rep, record_counts):
    before = record_counts()

    with pytest.raises(ValidationError) as invalid:
        lead_create(actor=rep, last_name="Schmidt", status="converted", score=99)

    assert invalid.value.message_dict == {
        "score": ["This field does not exist or cannot be changed here."],
        "status": ["This field does not exist or cannot be changed here."],
    }
    assert record_counts() == before


@hypothesis_settings
@given(email=emails, phone=phones)
def test_create_stores_a_valid_lead_or_nothing_for_any_email_and_phone(
    rep, isolated_example, email, phone
):
    with isolated_example():
        leads_before = Lead.objects.count()
        history_before = Change.objects.count()
        try:
            lead = lead_create(actor=rep, last_name="Fuzz", email=email, phone=phone)
        except ValidationError as exc:
            event(f"refused: {', '.join(sorted(exc.message_dict))}")
            assert exc.message_dict
            assert set(exc.message_dict) <= {"email", "phone"}
            assert Lead.objects.count() == leads_before
            assert Change.objects.count() == history_before
        else:
            event("stored")
            stored = Lead.objects.get(pk=lead.pk)
            assert_is_stored_canonically(stored)
            assert bool(stored.email) == bool(email.strip())
            assert bool(stored.phone) == bool(phone.strip())
            assert Change.objects.count() == history_before + 1
            lead_update(actor=rep, lead=stored, email=stored.email, phone=stored.phone)
            resaved = Lead.objects.get(pk=lead.pk)
            assert (resaved.email, resaved.phone) == (stored.email, stored.phone)


@hypothesis_settings
@given(
    email=emails,
    mobile=phones,
    country=countries,
    budget_amount=amounts,
    budget_currency=currencies,
)
def test_create_names_only_fields_it_could_not_read(
    rep, isolated_example, email, mobile, country, budget_amount, budget_currency
):
    with isolated_example():
        leads_before = Lead.objects.count()
        try:
            lead = lead_create(
                actor=rep,
                email=email,
                mobile=mobile,
                country=country,
                budget_amount=budget_amount,
                budget_currency=budget_currency,
            )
        except ValidationError as exc:
            event(f"refused: {', '.join(sorted(exc.message_dict))}")
            assert exc.message_dict
            assert set(exc.message_dict) <= PARSED_FIELDS | {"last_name"}
            assert all(exc.message_dict.values())
            assert Lead.objects.count() == leads_before
        else:
            event("stored")
            assert_is_stored_canonically(Lead.objects.get(pk=lead.pk))


# --- Update -----------------------------------------------------------------------------


def test_update_changes_fields_and_bumps_the_version(rep):
    lead = lead_create(actor=rep, last_name="Berg", email="berg@fjord.example")

    updated = lead_update(
        actor=rep, lead=lead, expected_version=lead.version, job_title="CTO", phone="030 99887766"
    )

    stored = Lead.objects.get(pk=lead.pk)
    assert (stored.job_title, stored.phone) == ("CTO", "+493099887766")
    assert stored.version == updated.version == lead.version + 1


def test_update_reads_national_numbers_in_the_leads_country(rep):
    lead = lead_create(actor=rep, last_name="Berg", country="NO")

    lead_update(actor=rep, lead=lead, phone="22 12 34 56")

    assert Lead.objects.get(pk=lead.pk).phone == "+4722123456"


def test_a_new_website_replaces_the_domain(rep):
    lead = lead_create(actor=rep, last_name="Berg", website="fjord-old.example")

    lead_update(actor=rep, lead=lead, website="https://www.fjord-new.example/about")

    assert Lead.objects.get(pk=lead.pk).domain == "fjord-new.example"


def test_a_new_email_replaces_a_domain_that_came_from_the_old_email(rep):
    lead = lead_create(actor=rep, last_name="Berg", email="berg@old-employer.example")

    lead_update(actor=rep, lead=lead, email="berg@new-employer.example")

    assert Lead.objects.get(pk=lead.pk).domain == "new-employer.example"


def test_the_website_domain_wins_over_the_email_domain(rep):
    lead = lead_create(
        actor=rep, last_name="Berg", email="berg@fjord-mail.example", website="fjord.example"
    )

    lead_update(actor=rep, lead=lead, email="ingrid.berg@other-mail.example")

    assert Lead.objects.get(pk=lead.pk).domain == "fjord.example"


@pytest.mark.parametrize(
    "typed", ["0/00000", "0 0030 1234567", "10000000000000", "030 123456789012"]
)
def test_a_number_that_is_not_a_real_phone_number_is_refused(rep, record_counts, typed):
    before = record_counts()

    with pytest.raises(ValidationError) as invalid:
        lead_create(actor=rep, last_name="Berg", phone=typed)

    assert invalid.value.message_dict == {
        "phone": [f"“{typed}” is not a valid phone number for its country."]
    }
    assert record_counts() == before


def test_saving_the_stored_phone_number_again_leaves_it_unchanged(rep):
    lead = lead_create(actor=rep, last_name="Berg", phone="(030) 123 456-78")
    shown_in_the_form = Lead.objects.get(pk=lead.pk).phone

    lead_update(actor=rep, lead=lead, phone=shown_in_the_form)

    assert Lead.objects.get(pk=lead.pk).phone == shown_in_the_form == "+493012345678"


def test_an_update_with_bad_values_changes_nothing(rep):
    lead = lead_create(actor=rep, last_name="Berg", email="berg@fjord.example", budget_amount=100)

    with pytest.raises(ValidationError) as invalid:
        lead_update(
            actor=rep,
            lead=lead,
            first_name="Ingrid",
            email="berg(at)fjord.example",
            phone="ask reception",
            country="Narnia",
            budget_amount=-1,
            budget_currency="kroner",
        )

    assert invalid.value.message_dict == {
        "email": ["“berg(at)fjord.example” is not an e-mail address: it has no @."],
        "phone": ["“ask reception” is not a phone number we can read."],
        "country": ["“Narnia” is not a country we know."],
        "budget_amount": ["The amount cannot be negative."],
        "budget_currency": ["“kroner” is not an ISO 4217 currency code."],
    }
    stored = Lead.objects.get(pk=lead.pk)
    assert (stored.first_name, stored.email, stored.budget_amount, stored.version) == (
        "",
        "berg@fjord.example",
        Decimal("100.00"),
        lead.version,
    )


def test_removing_both_last_name_and_email_is_refused(rep):
    lead = lead_create(actor=rep, last_name="Berg", email="berg@fjord.example")

    with pytest.raises(ValidationError) as invalid:
        lead_update(actor=rep, lead=lead, last_name="", email="")

    assert invalid.value.message_dict == NEEDS_NAME_OR_EMAIL
    stored = Lead.objects.get(pk=lead.pk)
    assert (stored.last_name, stored.email) == ("Berg", "berg@fjord.example")


def test_the_status_cannot_be_changed_by_editing(rep):
    lead = lead_create(actor=rep, last_name="Berg")

    with pytest.raises(ValidationError) as invalid:
        lead_update(actor=rep, lead=lead, status="working")

    assert invalid.value.message_dict == {
        "status": ["This field does not exist or cannot be changed here."]
    }
    assert Lead.objects.get(pk=lead.pk).status == "new"


def test_an_edit_based_on_an_old_version_is_refused(rep):
    lead = lead_create(actor=rep, last_name="Berg")
    lead_update(actor=rep, lead=lead, job_title="CEO")

    with pytest.raises(Conflict) as refused:
        lead_update(actor=rep, lead=lead, expected_version=lead.version, job_title="CFO")

    assert refused.value.message == (
        "This record was changed by someone else (version 2, you edited version 1). "
        "Reload it and apply your change again."
    )
    assert Lead.objects.get(pk=lead.pk).job_title == "CEO"


@hypothesis_settings
@given(email=emails, phone=phones)
def test_update_stores_valid_values_or_leaves_the_lead_as_it_was(
    rep, isolated_example, email, phone
):
    with isolated_example():
        lead = lead_create(actor=rep, last_name="Fuzz", email="fuzz@before.example")
        try:
            lead_update(actor=rep, lead=lead, email=email, phone=phone)
        except ValidationError as exc:
            event(f"refused: {', '.join(sorted(exc.message_dict))}")
            assert set(exc.message_dict) <= {"email", "phone"}
            stored = Lead.objects.get(pk=lead.pk)
            assert (stored.email, stored.phone, stored.version) == (
                "fuzz@before.example",
                "",
                lead.version,
            )
        else:
            event("stored")
            assert_is_stored_canonically(Lead.objects.get(pk=lead.pk))


# --- Converted leads are read-only ------------------------------------------------------


CONVERTED_AT = datetime.datetime(2024, 11, 30, 23, 30, tzinfo=datetime.UTC)
READ_ONLY = (
    "This lead was converted on 2024-12-01 00:30 and is read-only; change the contact, "
    "organization or opportunity it became instead."
)


def test_a_converted_lead_cannot_be_edited(rep):
    lead = LeadFactory(status="converted", converted_at=CONVERTED_AT, job_title="CEO")

    with pytest.raises(Conflict) as refused:
        lead_update(actor=rep, lead=lead, job_title="CFO")

    assert refused.value.message == READ_ONLY
    assert Lead.objects.get(pk=lead.pk).job_title == "CEO"


def test_no_activity_can_be_logged_on_a_converted_lead(rep, record_counts):
    lead = LeadFactory(status="converted", converted_at=CONVERTED_AT)
    before = record_counts()

    with pytest.raises(ValidationError) as invalid:
        activity_create(actor=rep, kind="call", subject="Follow-up", lead=lead)

    assert invalid.value.message_dict == {
        "lead": ["This lead is converted and read-only; log the activity on its contact instead."]
    }
    assert record_counts() == before


# --- Activities move a new lead to working ----------------------------------------------


@pytest.mark.parametrize("kind", ["call", "email", "meeting"])
@pytest.mark.parametrize("direction", ["outbound", ""])
def test_a_done_outbound_interaction_moves_a_new_lead_to_working(rep, kind, direction):
    lead = lead_create(actor=rep, last_name="Yilmaz")

    activity = activity_create(
        actor=rep, kind=kind, direction=direction, subject="First touch", lead=lead
    )

    lead.refresh_from_db()
    assert lead.status == "working"
    assert Activity.objects.get(pk=activity.pk).lead == lead
    entry = Change.objects.filter(record_type="lead", record_id=lead.pk).latest("id")
    assert (entry.old_value, entry.new_value, entry.actor) == ("new", "working", rep)


@pytest.mark.parametrize(
    "activity",
    [
        {"kind": "call", "direction": "inbound"},
        {"kind": "email", "direction": "inbound"},
        {"kind": "call", "direction": "outbound", "done": False},
        {"kind": "note"},
        {"kind": "form_submitted"},
        {"kind": "task", "due_at": datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)},
    ],
    ids=["inbound call", "inbound email", "planned call", "note", "web form", "task"],
)
def test_other_activities_leave_a_new_lead_new(rep, activity):
    lead = lead_create(actor=rep, last_name="Yilmaz")

    activity_create(actor=rep, subject="Touch", lead=lead, **activity)

    lead.refresh_from_db()
    assert lead.status == "new"
    assert Change.objects.filter(record_type="lead", record_id=lead.pk).count() == 1


@pytest.mark.parametrize("status", ["working", "nurturing", "unqualified"])
def test_a_call_does_not_move_a_lead_that_is_no_longer_new(rep, status):
    lead = LeadFactory(
        status=status, disqualification_reason="x" if status == "unqualified" else ""
    )

    activity_create(actor=rep, kind="call", direction="outbound", subject="Check-in", lead=lead)

    lead.refresh_from_db()
    assert lead.status == status
    assert not Change.objects.filter(record_type="lead", record_id=lead.pk).exists()


def test_logging_a_call_with_a_copy_read_before_a_colleagues_call_still_works(rep):
    colleague = UserFactory(team=rep.team)
    lead = lead_create(actor=rep, last_name="Yilmaz")
    copy_on_colleagues_screen = Lead.objects.get(pk=lead.pk)
    activity_create(actor=rep, kind="call", subject="First call", lead=lead)

    activity_create(
        actor=colleague, kind="email", subject="Sent the deck", lead=copy_on_colleagues_screen
    )

    assert Activity.objects.filter(lead=lead).count() == 2
    lead.refresh_from_db()
    assert lead.status == "working"


def test_a_lead_moved_to_working_by_a_call_can_then_be_nurtured(rep):
    lead = lead_create(actor=rep, last_name="Yilmaz")
    activity_create(actor=rep, kind="call", subject="First call", lead=lead)

    lead_change_status(actor=rep, lead=lead, status="nurturing")

    lead.refresh_from_db()
    assert lead.status == "nurturing"
