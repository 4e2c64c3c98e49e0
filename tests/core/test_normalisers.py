import datetime
import re
from decimal import Decimal

import phonenumbers
import pytest
from babel.numbers import list_currencies
from django_countries import countries
from hypothesis import HealthCheck, assume, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.provisional import domains

from vorsprung.core.dates import end_of_quarter
from vorsprung.core.normalisers import (
    LEGAL_FORMS,
    MAX_AMOUNT,
    company_key,
    normalise_amount,
    normalise_country,
    normalise_currency,
    normalise_domain,
    normalise_email,
    normalise_phone,
)

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
REGIONS = st.sampled_from([None, "DE", "AT", "CH", "NO", "GB", "US", "FR"])
fast = hypothesis_settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

phone_like = st.one_of(
    st.text(alphabet="0123456789 +-()/.", max_size=24),
    st.from_regex(r"\A(\+|00)?[1-9][0-9 ]{5,20}\Z"),
    st.text(max_size=20),
)


# --- phone numbers ------------------------------------------------------------------------


@fast
@given(value=phone_like, region=REGIONS)
@example(value="123", region=None)
@example(value="0049301234567890123", region=None)
def test_normalise_phone_returns_e164_or_refuses(value, region):
    try:
        number = normalise_phone(value, region=region)
    except ValueError:
        return
    if value.strip():
        assert E164.match(number), number
    else:
        assert number == ""


@fast
@given(value=phone_like, region=REGIONS, other_region=REGIONS)
def test_normalise_phone_is_idempotent_and_ignores_the_region_of_a_stored_number(
    value, region, other_region
):
    try:
        number = normalise_phone(value, region=region)
    except ValueError:
        return
    assert normalise_phone(number, region=other_region) == number


@pytest.mark.parametrize("region", sorted(phonenumbers.SUPPORTED_REGIONS))
def test_normalise_phone_reads_every_country_example_number(region):
    example_number = phonenumbers.example_number(region)
    if example_number is None:
        pytest.skip(f"phonenumbers has no example number for {region}")
    e164 = phonenumbers.format_number(example_number, phonenumbers.PhoneNumberFormat.E164)
    national = phonenumbers.format_number(example_number, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(
        example_number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )

    assert normalise_phone(national, region=region) == e164
    assert normalise_phone(international) == e164
    assert normalise_phone("00" + e164[1:]) == e164
    assert E164.match(e164)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "“abc” is not a phone number we can read."),
        ("+47 123", "“+47 123” is not a valid phone number for its country."),
    ],
)
def test_normalise_phone_refusals(value, message):
    with pytest.raises(ValueError) as exc:
        normalise_phone(value)

    assert str(exc.value) == message


@pytest.mark.parametrize("value", [None, "", "   "])
def test_an_empty_phone_number_stays_empty(value):
    assert normalise_phone(value) == ""


# --- e-mail ---------------------------------------------------------------------------------


def _mixed_case(draw_from: st.DataObject, text: str) -> str:
    flips = draw_from.draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.upper() if flip else c for c, flip in zip(text, flips, strict=True))


@fast
@given(address=st.emails(), data=st.data())
def test_normalise_email_is_lower_case_and_idempotent(address, data):
    typed = _mixed_case(data, address)
    try:
        normalised = normalise_email(typed)
    except ValueError:
        assume(False)

    assert normalised == normalised.lower()
    assert normalise_email(normalised) == normalised
    assert normalise_email(f"  mailto:{typed} ") == normalised


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("anna", "“anna” is not an e-mail address: it has no @."),
        ("anna@", "“anna@” is not a valid e-mail address."),
        ("anna@example", "“anna@example” is not a valid e-mail address."),
        ("an na@example.com", "“an na@example.com” is not a valid e-mail address."),
    ],
)
def test_normalise_email_refusals(value, message):
    with pytest.raises(ValueError) as exc:
        normalise_email(value)

    assert str(exc.value) == message


def test_normalise_email_encodes_international_domains():
    assert normalise_email("Joerg@Müller.DE") == "joerg@xn--mller-kva.de"


# --- domains ----------------------------------------------------------------------------


@fast
@given(
    domain=domains(),
    scheme=st.sampled_from(["", "http://", "https://", "HTTPS://"]),
    www=st.sampled_from(["", "www.", "WWW."]),
    port=st.sampled_from(["", ":8080"]),
    path=st.from_regex(r"\A(/[a-zA-Z0-9_-]{0,8}){0,3}(\?[a-z]{1,5}=[a-z0-9]{0,5})?\Z"),
)
def test_normalise_domain_strips_scheme_www_port_and_path(domain, scheme, www, port, path):
    assume(not domain.lower().startswith("www."))

    assert normalise_domain(f"{scheme}{www}{domain}{port}{path}") == domain.lower()


@pytest.mark.parametrize(
    ("value", "domain"),
    [
        ("https://www.example.com/about?x=1", "example.com"),
        ("www.Beispiel.de", "beispiel.de"),
        ("  shop.example.co.uk/ ", "shop.example.co.uk"),
        ("müller.de", "xn--mller-kva.de"),
        ("", ""),
    ],
)
def test_normalise_domain_examples(value, domain):
    assert normalise_domain(value) == domain


def test_normalise_domain_refuses_a_host_without_a_dot():
    with pytest.raises(ValueError) as exc:
        normalise_domain("https://intranet/")

    assert str(exc.value) == "“https://intranet/” is not a website address."


def test_normalise_domain_quotes_the_refused_value_as_typed():
    with pytest.raises(ValueError) as exc:
        normalise_domain("Our Website")

    assert str(exc.value) == "“Our Website” is not a website address."


# --- company names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Müller & Söhne GmbH", "mueller soehne"),
        ("MÜLLER UND SÖHNE GMBH", "mueller soehne"),
        ("ACME Corp.", "acme"),
        ("Nordic Shipping AS", "nordic shipping"),
        ("Société Générale SA", "societe generale"),
        ("Smith + Jones Ltd", "smith jones"),
        ("GmbH", "gmbh"),
        ("", ""),
        (None, ""),
    ],
)
def test_company_key_examples(name, key):
    assert company_key(name) == key


@fast
@given(name=st.text(max_size=200))
def test_company_key_is_idempotent(name):
    key = company_key(name)

    assert company_key(key) == key
    assert re.fullmatch(r"[a-z0-9]+( [a-z0-9]+)*|", key)


def test_company_key_is_idempotent_for_keys_cut_at_200_characters():
    name = "\ufb03" * 65 + "ab agx"  # the ligature "ﬃ" becomes "ffi"

    key = company_key(name)

    assert company_key(key) == key


words = st.from_regex(r"\A[a-z][a-z0-9]{0,9}\Z")


@fast
@given(
    base=st.lists(words, min_size=1, max_size=6),
    legal_form=st.sampled_from(sorted(LEGAL_FORMS)),
    data=st.data(),
)
def test_company_key_ignores_legal_forms_case_and_punctuation(base, legal_form, data):
    assume(any(word not in LEGAL_FORMS | {"und", "and", "og"} for word in base))
    name = " ".join(base)
    typed = _mixed_case(data, f"{name}, {legal_form}.")

    assert company_key(typed) == company_key(name)


@fast
@given(name=st.from_regex(r"\A[a-z]{1,10}( [a-z]{1,10}){0,3}\Z"))
def test_company_key_ignores_accents(name):
    accented = name.replace("a", "á").replace("o", "ò").replace("e", "é").replace("u", "ú")

    assert company_key(accented) == company_key(name)


def test_company_key_reads_sharp_s_as_ss():
    assert company_key("Großmann GmbH") == company_key("GROSSMANN GMBH") == "grossmann"


# --- money ----------------------------------------------------------------------------------


@fast
@given(amount=st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2))
def test_normalise_amount_keeps_non_negative_amounts(amount):
    assert normalise_amount(amount) == amount
    assert normalise_amount(str(amount)) == amount
    assert normalise_amount(amount).as_tuple().exponent == -2


@fast
@given(
    amount=st.one_of(
        st.decimals(max_value=Decimal("-0.000001"), allow_nan=False, allow_infinity=False),
        st.integers(max_value=-1),
        st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False),
    )
)
def test_normalise_amount_refuses_negative_amounts(amount):
    for value in (amount, str(amount)):
        with pytest.raises(ValueError) as exc:
            normalise_amount(value)
        assert str(exc.value) == "The amount cannot be negative."


@fast
@given(
    text=st.tuples(
        st.text(alphabet="0123456789.,-", max_size=5),
        st.text(alphabet="bcdghjklmopqruvwxz!?#€$%/", min_size=1, max_size=5),
        st.text(alphabet="0123456789", max_size=5),
    ).map("".join)
)
@example(text="NaN")
@example(text="-Infinity")
@example(text="1,5")
def test_normalise_amount_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError) as exc:
        normalise_amount(text)

    assert str(exc.value) == f"“{text}” is not a number."


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ("1 234.5", Decimal("1234.50")),
        (0.1, Decimal("0.10")),
        (12, Decimal("12.00")),
        ("19.999", Decimal("20.00")),
        ("-0", Decimal("0.00")),
        (None, None),
        ("", None),
        ("  ", None),
    ],
)
def test_normalise_amount_examples(value, amount):
    assert normalise_amount(value) == amount


def test_normalise_amount_refuses_amounts_too_large_to_store():
    with pytest.raises(ValueError) as exc:
        normalise_amount(MAX_AMOUNT + Decimal("0.01"))

    assert str(exc.value) == "The amount is too large."


@pytest.mark.parametrize(("value", "code"), [("eur", "EUR"), (" usd ", "USD"), ("Nok", "NOK")])
def test_normalise_currency_reads_iso_codes(value, code):
    assert normalise_currency(value) == code


def test_normalise_currency_knows_every_iso_code():
    for code in list_currencies():
        assert normalise_currency(code.lower()) == code


@pytest.mark.parametrize("value", [None, "", "  "])
def test_an_empty_currency_is_the_default_currency(settings, value):
    settings.VORSPRUNG_DEFAULT_CURRENCY = "CHF"

    assert normalise_currency(value) == "CHF"


@pytest.mark.parametrize("value", ["XYZ123", "EURO", "€", "XYZ"])
def test_normalise_currency_refuses_what_is_not_an_iso_code(value):
    with pytest.raises(ValueError) as exc:
        normalise_currency(value)

    assert str(exc.value) == f"“{value}” is not an ISO 4217 currency code."


# --- countries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("DE", "DE"),
        ("de", "DE"),
        ("DEU", "DE"),
        ("Germany", "DE"),
        (" GERMANY ", "DE"),
        ("Deutschland", "DE"),
        ("Norway", "NO"),
        ("NOR", "NO"),
        ("Norge", "NO"),
        ("UK", "GB"),
        ("USA", "US"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_country_examples(value, code):
    assert normalise_country(value) == code


def test_normalise_country_reads_every_code_and_english_name():
    for code, name in countries:
        assert normalise_country(code.lower()) == code
        assert normalise_country(countries.alpha3(code)) == code
        assert normalise_country(str(name).upper()) == code


def test_normalise_country_refuses_what_it_does_not_know():
    with pytest.raises(ValueError) as exc:
        normalise_country(" Atlantis ")

    assert str(exc.value) == "“Atlantis” is not a country we know."


# --- end of quarter -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "quarter_end"),
    [
        (1, datetime.date(2026, 3, 31)),
        (2, datetime.date(2026, 3, 31)),
        (3, datetime.date(2026, 3, 31)),
        (4, datetime.date(2026, 6, 30)),
        (5, datetime.date(2026, 6, 30)),
        (6, datetime.date(2026, 6, 30)),
        (7, datetime.date(2026, 9, 30)),
        (8, datetime.date(2026, 9, 30)),
        (9, datetime.date(2026, 9, 30)),
        (10, datetime.date(2026, 12, 31)),
        (11, datetime.date(2026, 12, 31)),
        (12, datetime.date(2026, 12, 31)),
    ],
)
def test_end_of_quarter_for_every_month(month, quarter_end):
    assert end_of_quarter(datetime.date(2026, month, 1)) == quarter_end
    assert end_of_quarter(datetime.date(2026, month, 28)) == quarter_end
    assert end_of_quarter(quarter_end) == quarter_end


@fast
@given(day=st.dates(max_value=datetime.date(9998, 12, 31)))
def test_end_of_quarter_is_the_last_day_of_the_quarter(day):
    end = end_of_quarter(day)

    assert day <= end < day + datetime.timedelta(days=92)
    assert end.month in (3, 6, 9, 12)
    assert (end.month - 1) // 3 == (day.month - 1) // 3
    assert end.year == day.year
    assert (end + datetime.timedelta(days=1)).day == 1


@pytest.mark.parametrize(
    ("typed", "spelt_out"),
    [
        ("Müller", "Mueller"),
        ("Bjørn", "Bjoern"),
        ("Ærø Shipping", "Aeroe Shipping"),
        ("Åsane", "Aasane"),
    ],
)
def test_company_key_spells_out_umlauts_and_nordic_letters(typed, spelt_out):
    assert company_key(typed) == company_key(spelt_out)
