import pytest
from django.core.exceptions import ValidationError

from tests.factories import ManagerFactory, OpportunityFactory, OrganizationFactory, UserFactory
from vorsprung.core.errors import Conflict, NotAllowed
from vorsprung.customers.models import Contact, Organization
from vorsprung.customers.services import (
    contact_create,
    contact_update,
    organization_change_lifecycle,
    organization_create,
    organization_delete,
    organization_update,
)
from vorsprung.history.models import Change
from vorsprung.history.presenters import field_change

NOT_EDITABLE = "This field does not exist or cannot be changed here."


@pytest.fixture
def actor(db):
    return UserFactory()


@pytest.fixture
def norwegian(actor):
    return organization_create(actor=actor, name="Fjord Shipping AS", country="NO")


def lifecycle_history(organization) -> list[tuple[str, str, str, str, str]]:
    rows = Change.objects.filter(
        record_type="organization", record_id=organization.pk, field="lifecycle"
    ).order_by("id")
    shown = [field_change(r) for r in rows]
    return [
        (r.old_value, r.new_value, s.old, s.new, r.note) for r, s in zip(rows, shown, strict=True)
    ]


# --- organizations ------------------------------------------------------------------------


def test_organization_create_normalises_and_derives_fields(actor):
    organization = organization_create(
        actor=actor,
        name="  Müller & Söhne GmbH ",
        website="HTTPS://www.Mueller-Soehne.DE/about?lang=de",
        employee_count=120,
        phone="030 1234567",
        country="Germany",
        annual_revenue="2 500 000",
        annual_revenue_currency="eur",
    )

    organization.refresh_from_db()
    assert organization.name == "Müller & Söhne GmbH"
    assert organization.name_key == "mueller soehne"
    assert organization.domain == "mueller-soehne.de"
    assert organization.size_band == "51-200"
    assert organization.phone == "+49301234567"
    assert organization.country.code == "DE"
    assert str(organization.annual_revenue) == "2500000.00"
    assert organization.annual_revenue_currency == "EUR"
    assert organization.lifecycle == "prospect"
    assert organization.owner == actor


def test_organization_create_records_the_starting_lifecycle(actor):
    organization = organization_create(actor=actor, name="Acme", lifecycle="partner")

    assert lifecycle_history(organization) == [("", "partner", "—", "Partner", "")]
    assert Change.objects.get(record_id=organization.pk).actor == actor


def test_a_website_without_scheme_gets_https(actor):
    organization = organization_create(actor=actor, name="Acme", website="acme.example/contact")

    assert organization.website == "https://acme.example/contact"
    assert organization.domain == "acme.example"


@pytest.mark.parametrize(
    ("employees", "band"),
    [
        (1, "1-10"),
        (10, "1-10"),
        (11, "11-50"),
        (50, "11-50"),
        (51, "51-200"),
        (200, "51-200"),
        (201, "201-1000"),
        (1000, "201-1000"),
        (1001, "1001-5000"),
        (5000, "1001-5000"),
        (5001, "5000+"),
        (None, ""),
    ],
)
def test_the_size_band_follows_the_employee_count(actor, employees, band):
    organization = organization_create(actor=actor, name="Acme", employee_count=employees)

    assert organization.size_band == band


def test_the_size_band_follows_a_changed_employee_count(actor):
    organization = organization_create(actor=actor, name="Acme", employee_count=8)

    organization = organization_update(actor=actor, organization=organization, employee_count=450)

    assert organization.size_band == "201-1000"


def test_a_size_band_given_with_the_employee_count_is_kept(actor):
    organization = organization_create(
        actor=actor, name="Acme", employee_count=8, size_band="51-200"
    )

    assert organization.size_band == "51-200"
    organization = organization_update(actor=actor, organization=organization, city="Kiel")
    assert organization.size_band == "51-200"


@pytest.mark.parametrize("typed", ["DE", "de", "DEU", "Germany", " germany ", "Deutschland"])
def test_the_country_is_read_from_a_code_or_a_name(actor, typed):
    organization = organization_create(actor=actor, name="Acme", country=typed)

    assert organization.country.code == "DE"


@pytest.mark.parametrize(
    ("country", "phone", "stored"),
    [
        ("", "030 1234567", "+49301234567"),
        ("NO", "22 12 34 56", "+4722123456"),
        ("Norway", "22 12 34 56", "+4722123456"),
        ("AT", "01 5123456", "+4315123456"),
        ("NO", "+49 (30) 123-4567", "+49301234567"),
        ("", "0044 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_numbers_are_stored_as_e164_read_in_the_organization_country(
    actor, country, phone, stored
):
    organization = organization_create(actor=actor, name="Acme", country=country, phone=phone)

    assert organization.phone == stored


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"phone": "abc"}, {"phone": ["“abc” is not a phone number we can read."]}),
        ({"country": "Atlantis"}, {"country": ["“Atlantis” is not a country we know."]}),
        (
            {"website": "http://localhost"},
            {"website": ["“http://localhost” is not a website address."]},
        ),
        ({"annual_revenue": "-5"}, {"annual_revenue": ["The amount cannot be negative."]}),
        (
            {"annual_revenue_currency": "EURO"},
            {"annual_revenue_currency": ["“EURO” is not an ISO 4217 currency code."]},
        ),
        ({"name": ""}, {"name": ["This field cannot be blank."]}),
        ({"industry": "mining"}, {"industry": ["Value 'mining' is not a valid choice."]}),
        ({"lifecycle_note": "x"}, {"lifecycle_note": [NOT_EDITABLE]}),
        (
            {"phone": "abc", "country": "Atlantis"},
            {
                "phone": ["“abc” is not a phone number we can read."],
                "country": ["“Atlantis” is not a country we know."],
            },
        ),
    ],
    ids=[
        "phone",
        "country",
        "website",
        "revenue",
        "currency",
        "name",
        "industry",
        "unknown",
        "phone-and-country",
    ],
)
def test_organization_create_refuses_bad_values_and_writes_nothing(actor, data, errors):
    with pytest.raises(ValidationError) as exc:
        organization_create(actor=actor, **{"name": "Acme", **data})

    assert exc.value.message_dict == errors
    assert not Organization.objects.exists()
    assert not Change.objects.exists()


def test_a_bad_website_is_quoted_as_typed(actor):
    with pytest.raises(ValidationError) as exc:
        organization_create(actor=actor, name="Acme", website="our site")

    assert exc.value.message_dict == {"website": ["“our site” is not a website address."]}


def test_organization_update_derives_domain_and_name_key_again(actor, norwegian):
    updated = organization_update(
        actor=actor,
        organization=norwegian,
        name="Fjord Logistics ASA",
        website="www.fjord-logistics.no",
    )

    updated.refresh_from_db()
    assert updated.name_key == "fjord logistics"
    assert updated.domain == "fjord-logistics.no"
    assert updated.version == 2

    cleared = organization_update(actor=actor, organization=updated, website="")
    assert (cleared.website, cleared.domain) == ("", "")


def test_organization_update_reads_national_numbers_in_its_country(actor, norwegian):
    updated = organization_update(actor=actor, organization=norwegian, phone="22 12 34 56")

    assert updated.phone == "+4722123456"


def test_organization_update_refuses_the_lifecycle(actor, norwegian):
    with pytest.raises(ValidationError) as exc:
        organization_update(actor=actor, organization=norwegian, lifecycle="customer")

    assert exc.value.message_dict == {"lifecycle": [NOT_EDITABLE]}
    norwegian.refresh_from_db()
    assert norwegian.lifecycle == "prospect"


def test_organization_update_with_a_bad_value_keeps_the_record(actor, norwegian):
    with pytest.raises(ValidationError) as exc:
        organization_update(actor=actor, organization=norwegian, city="Bergen", phone="12")

    assert list(exc.value.message_dict) == ["phone"]
    norwegian.refresh_from_db()
    assert (norwegian.city, norwegian.phone, norwegian.version) == ("", "", 1)


def test_organization_update_with_a_stale_version_is_a_conflict(actor, norwegian):
    organization_update(actor=actor, organization=norwegian, city="Bergen", expected_version=1)

    with pytest.raises(Conflict) as exc:
        organization_update(actor=actor, organization=norwegian, city="Oslo", expected_version=1)

    assert exc.value.message == (
        "This record was changed by someone else (version 2, you edited version 1). "
        "Reload it and apply your change again."
    )
    norwegian.refresh_from_db()
    assert norwegian.city == "Bergen"


# --- lifecycle ----------------------------------------------------------------------------


def test_change_lifecycle_records_who_changed_what_and_why(actor, norwegian):
    changed = organization_change_lifecycle(
        actor=actor, organization=norwegian, lifecycle="partner", note="Reseller agreement"
    )

    changed.refresh_from_db()
    assert changed.lifecycle == "partner"
    assert lifecycle_history(norwegian)[-1] == (
        "prospect",
        "partner",
        "Prospect",
        "Partner",
        "Reseller agreement",
    )
    assert Change.objects.filter(record_id=norwegian.pk).first().actor == actor


def test_changing_to_the_current_lifecycle_records_nothing(actor, norwegian):
    organization_change_lifecycle(actor=actor, organization=norwegian, lifecycle="prospect")

    assert len(lifecycle_history(norwegian)) == 1


def test_an_unknown_lifecycle_is_refused(actor, norwegian):
    with pytest.raises(ValidationError) as exc:
        organization_change_lifecycle(actor=actor, organization=norwegian, lifecycle="lost")

    assert exc.value.message_dict == {
        "lifecycle": ["Choose one of: prospect, customer, partner, former_customer."]
    }


def test_an_organization_with_opportunities_cannot_be_deleted(actor):
    organization = OrganizationFactory(owner=actor)
    OpportunityFactory(organization=organization)
    manager = ManagerFactory()

    with pytest.raises(Conflict) as exc:
        organization_delete(actor=manager, organization=organization)

    assert exc.value.message == (
        "This organization has opportunities; close or move them before deleting it."
    )
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_a_sales_rep_may_not_delete_an_organization(actor):
    organization = OrganizationFactory(owner=actor)

    with pytest.raises(NotAllowed) as exc:
        organization_delete(actor=actor, organization=organization)

    assert exc.value.message == "Only managers and administrators may delete records."
    assert Organization.objects.filter(pk=organization.pk).exists()


# --- contacts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [{"last_name": "Berg"}, {"email": "kari@fjord.example"}],
    ids=["last-name", "email"],
)
def test_a_contact_needs_only_a_last_name_or_an_email(actor, data):
    contact = contact_create(actor=actor, **data)

    assert contact.pk is not None
    assert contact.owner == actor


@pytest.mark.parametrize(
    "data", [{}, {"first_name": "Kari"}, {"last_name": "  ", "email": ""}], ids=str
)
def test_a_contact_without_last_name_and_email_is_refused(actor, data):
    with pytest.raises(ValidationError) as exc:
        contact_create(actor=actor, **data)

    assert exc.value.message_dict == {
        "last_name": ["A contact needs a last name or an e-mail address."]
    }
    assert not Contact.objects.exists()


def test_contact_create_normalises_email_and_phones_in_the_organization_country(actor, norwegian):
    contact = contact_create(
        actor=actor,
        first_name=" Kari ",
        last_name="Nordmann",
        email=" Kari.Nordmann@Fjord-Shipping.NO ",
        phone="22 12 34 56",
        mobile="412 34 567",
        organization=norwegian,
    )

    contact.refresh_from_db()
    assert (contact.first_name, contact.email) == ("Kari", "kari.nordmann@fjord-shipping.no")
    assert (contact.phone, contact.mobile) == ("+4722123456", "+4741234567")


def test_the_contact_country_wins_over_the_organization_country(actor, norwegian):
    contact = contact_create(
        actor=actor, last_name="Huber", organization=norwegian, country="AT", phone="01 5123456"
    )

    assert (contact.country.code, contact.phone) == ("AT", "+4315123456")


def test_a_contact_without_country_reads_phones_in_the_default_region(actor):
    contact = contact_create(actor=actor, last_name="Schmidt", mobile="0171 1234567")

    assert contact.mobile == "+491711234567"


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"email": "kari"}, {"email": ["“kari” is not an e-mail address: it has no @."]}),
        ({"email": "kari@"}, {"email": ["“kari@” is not a valid e-mail address."]}),
        (
            {"mobile": "+47 123"},
            {"mobile": ["“+47 123” is not a valid phone number for its country."]},
        ),
        ({"salutation": "sir"}, {"salutation": ["Value 'sir' is not a valid choice."]}),
        ({"lifecycle": "customer"}, {"lifecycle": [NOT_EDITABLE]}),
    ],
    ids=["email-no-at", "email-no-domain", "mobile", "salutation", "unknown"],
)
def test_contact_create_refuses_bad_values_and_writes_nothing(actor, data, errors):
    with pytest.raises(ValidationError) as exc:
        contact_create(actor=actor, last_name="Berg", **data)

    assert exc.value.message_dict == errors
    assert not Contact.objects.exists()


def test_a_two_digit_phone_number_is_refused(actor):
    with pytest.raises(ValidationError) as exc:
        contact_create(actor=actor, last_name="Berg", mobile="12")

    assert exc.value.message_dict == {
        "mobile": ["“12” is not a valid phone number for its country."]
    }


def test_contact_update_reads_national_numbers_in_the_contact_country(actor):
    contact = contact_create(actor=actor, last_name="Huber", country="AT")

    updated = contact_update(actor=actor, contact=contact, phone="0664 1234567")

    assert updated.phone == "+436641234567"
    assert updated.version == 2


def test_contact_update_reads_national_numbers_in_the_organization_country(actor, norwegian):
    contact = contact_create(actor=actor, last_name="Nordmann", organization=norwegian)

    updated = contact_update(actor=actor, contact=contact, phone="22 12 34 56")

    assert updated.phone == "+4722123456"


def test_a_contact_moving_to_another_organization_reads_phones_in_its_country(actor, norwegian):
    contact = contact_create(actor=actor, last_name="Huber", mobile="0171 1234567")

    updated = contact_update(
        actor=actor, contact=contact, organization=norwegian, phone="22 12 34 56"
    )

    assert (updated.organization, updated.phone, updated.mobile) == (
        norwegian,
        "+4722123456",
        "+491711234567",
    )


def test_contact_update_cannot_remove_both_last_name_and_email(actor):
    contact = contact_create(actor=actor, last_name="Berg", email="")

    with pytest.raises(ValidationError) as exc:
        contact_update(actor=actor, contact=contact, last_name="")

    assert exc.value.message_dict == {
        "last_name": ["A contact needs a last name or an e-mail address."]
    }
    contact.refresh_from_db()
    assert contact.last_name == "Berg"


def test_contact_update_with_a_stale_version_is_a_conflict(actor):
    contact = contact_create(actor=actor, last_name="Berg")
    contact_update(actor=actor, contact=contact, job_title="CFO", expected_version=1)

    with pytest.raises(Conflict) as exc:
        contact_update(actor=actor, contact=contact, job_title="CEO", expected_version=1)

    assert exc.value.code == "stale_version"
    contact.refresh_from_db()
    assert contact.job_title == "CFO"


def test_organization_change_lifecycle_refuses_a_stale_version(actor, norwegian):
    organization_update(actor=actor, organization=norwegian, city="Bergen")

    with pytest.raises(Conflict) as refused:
        organization_change_lifecycle(
            actor=actor, organization=norwegian, lifecycle="customer", expected_version=1
        )

    assert refused.value.message == (
        "This record was changed by someone else (version 2, you edited version 1). Reload "
        "it and apply your change again."
    )
    norwegian.refresh_from_db()
    assert norwegian.lifecycle == "prospect"
