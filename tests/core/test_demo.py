import datetime
import io
from collections import defaultdict

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.core.validators import validate_email
from django.db.models import Count
from django.utils import timezone

from vorsprung.accounts.models import Team, User
from vorsprung.activities.choices import ActivityKind
from vorsprung.activities.models import Activity
from vorsprung.core.normalisers import company_key, normalise_phone
from vorsprung.core.records import RecordType
from vorsprung.customers.choices import Lifecycle, size_band_for
from vorsprung.customers.models import Contact, Organization
from vorsprung.history.models import Change
from vorsprung.leads import transitions
from vorsprung.leads.choices import LeadSource, LeadStatus
from vorsprung.leads.models import Lead
from vorsprung.sales.models import Opportunity, Pipeline

LEADS = 300


def run_demo(leads=LEADS, seed=7) -> str:
    out = io.StringIO()
    call_command("demo", leads=leads, seed=seed, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db) -> str:
    return run_demo()


def history_of(record_type: str) -> dict[int, list[Change]]:
    entries = defaultdict(list)
    for entry in Change.objects.filter(record_type=record_type).order_by("at", "id"):
        entries[entry.record_id].append(entry)
    return entries


def test_prints_one_line_with_what_it_added(demo):
    lines = demo.strip().splitlines()
    assert len(lines) == 1
    assert f"{LEADS} leads" in lines[0]
    assert "seed 7" in lines[0]
    assert Lead.objects.count() == LEADS
    assert LEADS / 6 < Organization.objects.count() < LEADS / 4
    assert Contact.objects.count() >= 1.6 * Organization.objects.count()


def test_shows_every_status_source_and_stage(demo):
    assert set(Lead.objects.values_list("status", flat=True)) == set(LeadStatus.values)
    assert set(Lead.objects.values_list("source", flat=True)) == set(LeadSource.values)
    pipeline = Pipeline.objects.get(is_default=True)
    counts = dict(pipeline.stages.annotate(n=Count("opportunities")).values_list("name", "n"))
    assert all(counts.values()), counts
    assert set(Lifecycle.values) <= set(Organization.objects.values_list("lifecycle", flat=True))


def test_creates_sales_teams_once_and_adds_more_data_when_run_again(demo):
    users = User.objects.count()
    assert set(User.objects.values_list("role", flat=True)) == {"admin", "manager", "sales_rep"}
    assert all(team.manager is not None for team in Team.objects.all())
    assert not any(user.has_usable_password() for user in User.objects.all())

    second = run_demo(leads=50)

    assert "0 users" in second
    assert User.objects.count() == users
    assert Lead.objects.count() == LEADS + 50
    assert Lead.objects.filter(owner__isnull=False).exists()


def test_opportunities_follow_their_stage(demo):
    for opportunity in Opportunity.objects.select_related("stage", "organization"):
        stage = opportunity.stage
        assert opportunity.probability == stage.probability
        assert opportunity.is_closed == stage.is_closed
        assert opportunity.is_won == stage.is_won
        assert (opportunity.closed_at is not None) == stage.is_closed
        assert bool(opportunity.lost_reason) == stage.is_lost
        assert opportunity.currency in {"EUR", "NOK", "GBP", "USD"}
        if stage.is_won:
            assert opportunity.organization.lifecycle == Lifecycle.CUSTOMER
    customers = Organization.objects.filter(lifecycle=Lifecycle.CUSTOMER)
    assert customers.exists()
    assert not customers.exclude(opportunities__is_won=True).exists()


def test_converted_leads_link_to_what_they_became(demo):
    converted = Lead.objects.filter(status=LeadStatus.CONVERTED)
    assert converted.exists()
    with_opportunity = 0
    for lead in converted.select_related(
        "converted_contact", "converted_organization", "converted_opportunity"
    ):
        assert lead.converted_at is not None
        assert lead.converted_contact.email == lead.email
        assert lead.converted_contact.organization_id == lead.converted_organization_id
        assert lead.converted_organization.name == lead.company
        if lead.converted_opportunity is not None:
            with_opportunity += 1
            assert lead.converted_opportunity.source_lead_id == lead.pk
            assert lead.converted_opportunity.organization_id == lead.converted_organization_id
            assert lead.converted_opportunity.created_at == lead.converted_at
        assert (
            not Activity.objects.filter(lead=lead).exclude(contact=lead.converted_contact).exists()
        )
    assert with_opportunity > converted.count() / 2
    not_converted = Lead.objects.exclude(status=LeadStatus.CONVERTED)
    assert not not_converted.filter(converted_contact__isnull=False).exists()
    assert not not_converted.filter(converted_at__isnull=False).exists()
    assert not Lead.objects.filter(
        status=LeadStatus.UNQUALIFIED, disqualification_reason=""
    ).exists()


def test_phones_are_e164_and_emails_valid(demo):
    phones = [
        *Lead.objects.values_list("phone", "mobile"),
        *Contact.objects.values_list("phone", "mobile"),
        *((phone, "") for phone in Organization.objects.values_list("phone", flat=True)),
    ]
    numbers = [number for pair in phones for number in pair if number]
    assert len(numbers) > LEADS
    for number in numbers:
        assert normalise_phone(number) == number
        assert phonenumbers.is_valid_number(phonenumbers.parse(number)), number
    emails = [*Lead.objects.values_list("email", flat=True)]
    emails += Contact.objects.values_list("email", flat=True)
    for email in emails:
        try:
            validate_email(email)
        except ValidationError:
            pytest.fail(f"invalid e-mail address {email!r}")
        assert email == email.lower()
    for contact in Contact.objects.select_related("organization").exclude(organization__domain=""):
        assert contact.email.endswith("@" + contact.organization.domain)


def test_organizations_are_consistent(demo):
    for organization in Organization.objects.all():
        assert organization.name_key == company_key(organization.name)
        if organization.employee_count is not None:
            assert organization.size_band == size_band_for(organization.employee_count)
        if organization.website:
            assert organization.website == f"https://www.{organization.domain}"
        assert organization.country.code in {"DE", "NO", "GB", "US"}


def test_lead_history_ends_in_the_current_status(demo):
    histories = history_of(RecordType.LEAD)
    for lead in Lead.objects.all():
        entries = histories[lead.pk]
        assert entries[0].old_value == ""
        assert entries[0].new_value == LeadStatus.NEW
        assert entries[0].at == lead.created_at
        for previous, entry in zip(entries, entries[1:], strict=False):
            assert entry.old_value == previous.new_value
            assert entry.at >= previous.at
            if entry.new_value == LeadStatus.CONVERTED:
                assert entry.old_value in transitions.CONVERTIBLE
            else:
                assert transitions.is_allowed(entry.old_value, entry.new_value)
        assert entries[-1].new_value == lead.status
        assert entries[-1].field == "status"
        if lead.status == LeadStatus.CONVERTED:
            assert entries[-1].at == lead.converted_at
        if lead.status == LeadStatus.UNQUALIFIED:
            assert entries[-1].note == lead.disqualification_reason


def test_opportunity_and_organization_history_end_in_their_current_state(demo):
    stages = history_of(RecordType.OPPORTUNITY)
    for opportunity in Opportunity.objects.all():
        entries = stages[opportunity.pk]
        assert entries[0].old_value == ""
        assert entries[-1].new_value == str(opportunity.stage_id)
        if opportunity.is_closed:
            assert entries[-1].at == opportunity.closed_at
    lifecycles = history_of(RecordType.ORGANIZATION)
    for organization in Organization.objects.all():
        assert lifecycles[organization.pk][-1].new_value == organization.lifecycle


def test_history_spreads_over_months_and_tasks_are_open(demo):
    now = timezone.now()
    oldest = Lead.objects.order_by("created_at").first().created_at
    assert oldest < now - datetime.timedelta(days=300)
    assert Lead.objects.filter(created_at__gt=now - datetime.timedelta(days=30)).exists()
    assert not Lead.objects.filter(created_at__gt=now).exists()
    tasks = Activity.objects.filter(kind=ActivityKind.TASK)
    assert tasks.exists()
    assert not tasks.filter(due_at__isnull=True).exists()
    assert not tasks.filter(done=True).exists()
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert {"call", "email", "meeting", "form_submitted", "content_downloaded"} <= kinds
    assert 2 <= Activity.objects.filter(lead__isnull=False).count() / LEADS <= 3.5


def test_same_seed_gives_same_people(db):
    run_demo(leads=20, seed=7)
    first = list(Lead.objects.order_by("id").values_list("last_name", "company", "status"))
    Lead.objects.all().delete()
    run_demo(leads=20, seed=7)
    assert list(Lead.objects.order_by("id").values_list("last_name", "company", "status")) == (
        first
    )


@pytest.mark.parametrize(
    ("leads", "message"),
    [
        (-1, "--leads must be between 0 and 5,000,000, not -1."),
        (5_000_001, "--leads must be between 0 and 5,000,000, not 5,000,001."),
        ("many", "--leads must be a whole number, not “many”."),
    ],
)
def test_refuses_an_impossible_number_of_leads(db, leads, message):
    with pytest.raises(CommandError) as refused:
        call_command("demo", leads=leads, stdout=io.StringIO())
    assert str(refused.value) == message
    assert not Lead.objects.exists()


def test_command_line_reads_the_number(db):
    with pytest.raises(CommandError, match="not -5"):
        call_command("demo", "--leads=-5", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo", "--leads=0", stdout=out)
    assert "0 leads" in out.getvalue()
