"""Suggestions of existing organizations and contacts to attach a lead to on conversion."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    AdminFactory,
    ContactFactory,
    LeadFactory,
    ManagerFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
)
from vorsprung.core.normalisers import LEGAL_FORMS
from vorsprung.customers.models import Organization
from vorsprung.customers.services import organization_create
from vorsprung.leads.selectors import conversion_matches
from vorsprung.leads.services import lead_create


@pytest.fixture
def teammate(rep):
    return UserFactory(username="teammate", team=rep.team)


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider", team=TeamFactory(name="Süd"))


@pytest.fixture
def lead(rep):
    return lead_create(
        actor=rep,
        first_name="Ingrid",
        last_name="Solberg",
        email="ingrid.solberg@fjord-energy.example",
        company="Fjord Energy",
    )


def organization(name: str, owner, domain: str = "") -> Organization:
    return organization_create(
        actor=owner, owner=owner, name=name, website=domain and f"https://{domain}"
    )


def suggested(matches) -> list[tuple[str, str, int]]:
    return [(m.record.name, m.reason, m.score) for m in matches.organizations]


def suggested_contacts(matches) -> list[tuple[str, str, int]]:
    return [(m.record.full_name, m.reason, m.score) for m in matches.contacts]


# --- Organizations ----------------------------------------------------------------------


def test_organizations_are_suggested_by_domain_and_by_name(rep, teammate, lead):
    organization("Fjord Kraft", teammate, domain="www.fjord-energy.example")
    organization("Fjord Energy AS", rep)
    organization("FJORD ENERGI GmbH", rep)
    organization("Fjord Bakery", rep)
    organization("Nordlicht Energy", rep)

    matches = conversion_matches(user=rep, lead=lead)

    # The domain match is strong (picked for the user) and so comes first.
    assert suggested(matches) == [
        ("Fjord Kraft", "domain", 100),
        ("Fjord Energy AS", "name", 100),
        ("FJORD ENERGI GmbH", "name", 91),
    ]
    assert [m.strong for m in matches.organizations] == [True, False, False]


def test_a_free_mail_address_suggests_no_organization_by_domain(rep):
    organization("Google", rep, domain="gmail.com")
    lead = lead_create(actor=rep, last_name="Hansen", email="ola.hansen@gmail.com")

    assert conversion_matches(user=rep, lead=lead).organizations == []


def test_a_lead_without_company_or_domain_gets_no_organizations(rep):
    organization("Fjord Energy AS", rep)
    lead = lead_create(actor=rep, last_name="Hansen")

    matches = conversion_matches(user=rep, lead=lead)

    assert (matches.organizations, matches.contacts) == ([], [])


def test_an_exact_name_is_suggested_even_when_many_names_share_its_first_word(rep):
    Organization.objects.bulk_create(
        Organization(name=f"Deutsche A{n:03d}", name_key=f"deutsche a{n:03d}", owner=rep)
        for n in range(200)
    )
    post = organization("Deutsche Post AG", rep)
    lead = LeadFactory(owner=rep, company="Deutsche Post", email="", last_name="Weber")

    matches = conversion_matches(user=rep, lead=lead)

    assert [m.record for m in matches.organizations] == [post]


@pytest.mark.parametrize(
    ("existing_name", "company"),
    [("Müller Bau GmbH", "Mueller Bau"), ("Schmitt & Söhne KG", "Schmidt & Söhne")],
)
def test_a_close_spelling_of_the_first_word_is_suggested(rep, existing_name, company):
    existing = organization(existing_name, rep)
    lead = lead_create(actor=rep, last_name="Weber", company=company)

    matches = conversion_matches(user=rep, lead=lead)

    assert [(m.record, m.reason) for m in matches.organizations] == [(existing, "name")]


legal_forms = st.sampled_from(["", " GmbH", " AG", " AS", " Ltd.", ", Inc.", " & Co. KG"])
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöü", min_size=3, max_size=9).filter(
    lambda word: word not in LEGAL_FORMS | {"and", "und"}
)
spellings = st.sampled_from([str.lower, str.upper, str.title])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.lists(words, min_size=1, max_size=3).map(" ".join), legal=legal_forms, spell=spellings
)
def test_the_same_company_written_differently_is_always_suggested(
    rep, isolated_example, name, legal, spell
):
    with isolated_example():
        existing = organization(spell(name) + legal, rep)
        lead = lead_create(actor=rep, last_name="Weber", company=name)

        matches = conversion_matches(user=rep, lead=lead)

        assert [(m.record, m.reason, m.score) for m in matches.organizations] == [
            (existing, "name", 100)
        ]


# --- Contacts ---------------------------------------------------------------------------


def test_contacts_are_suggested_by_email_and_by_name_at_a_suggested_organization(
    rep, teammate, lead
):
    fjord = organization("Fjord Energy AS", rep)
    elsewhere = organization("Bergen Shipping", rep)
    ContactFactory(
        organization=elsewhere,
        owner=teammate,
        first_name="Ingrid",
        last_name="S.",
        email="Ingrid.Solberg@Fjord-Energy.example",
    )
    ContactFactory(organization=fjord, owner=rep, first_name="Ingrid", last_name="Solberg")
    ContactFactory(organization=fjord, owner=rep, first_name="Per", last_name="SOLBERG")
    ContactFactory(organization=fjord, owner=rep, first_name="Ingrid", last_name="Berg")
    ContactFactory(organization=elsewhere, owner=rep, first_name="Ingrid", last_name="Solberg")

    matches = conversion_matches(user=rep, lead=lead)

    assert suggested_contacts(matches) == [
        ("Ingrid S.", "email", 100),
        ("Ingrid Solberg", "name", 90),
        ("Per SOLBERG", "last_name", 70),
    ]


# --- Visibility -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("owner", "seen_by"),
    [
        ("rep", {"rep", "manager", "admin"}),
        ("teammate", {"rep", "manager", "admin"}),
        ("outsider", {"admin"}),
        ("nobody", {"manager", "admin"}),
    ],
)
def test_matches_only_come_from_records_the_user_may_see(rep, teammate, outsider, owner, seen_by):
    users = {
        "rep": rep,
        "teammate": teammate,
        "outsider": outsider,
        "nobody": None,
        "manager": ManagerFactory(team=rep.team),
        "admin": AdminFactory(),
    }
    fjord = OrganizationFactory(
        name="Fjord Kraft", domain="fjord-energy.example", owner=users[owner]
    )
    ingrid = ContactFactory(
        organization=fjord, email="ingrid.solberg@fjord-energy.example", owner=users[owner]
    )
    lead = LeadFactory(
        owner=rep, email="ingrid.solberg@fjord-energy.example", domain="fjord-energy.example"
    )

    for viewer in ("rep", "manager", "admin"):
        matches = conversion_matches(user=users[viewer], lead=lead)
        expected = viewer in seen_by
        assert ([m.record for m in matches.organizations] == [fjord]) is expected, viewer
        assert ([m.record for m in matches.contacts] == [ingrid]) is expected, viewer


def test_a_rep_gets_no_contact_by_name_at_another_teams_organization(rep, outsider, lead):
    theirs = organization("Fjord Energy AS", outsider)
    ContactFactory(organization=theirs, owner=rep, first_name="Ingrid", last_name="Solberg")

    matches = conversion_matches(user=rep, lead=lead)

    assert (matches.organizations, matches.contacts) == ([], [])
