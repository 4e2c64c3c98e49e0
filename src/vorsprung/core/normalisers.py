"""Turn what people type into the canonical form we store and match on.

Each function returns the normalised value, or ``None``/``""`` for empty input, and
raises ``ValueError`` with a user-facing message for input that cannot be read.
Services turn that message into a field error.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import cache
from urllib.parse import urlsplit

import phonenumbers
from babel.numbers import list_currencies
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django_countries import countries

# Mail providers whose domain says nothing about the company behind an address.
FREE_MAIL_DOMAINS = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.de",
        "yahoo.co.uk",
        "yahoo.no",
        "hotmail.com",
        "hotmail.de",
        "hotmail.co.uk",
        "hotmail.no",
        "outlook.com",
        "outlook.de",
        "live.com",
        "live.de",
        "live.no",
        "msn.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "gmx.de",
        "gmx.net",
        "gmx.at",
        "gmx.ch",
        "gmx.com",
        "web.de",
        "t-online.de",
        "freenet.de",
        "posteo.de",
        "mailbox.org",
        "protonmail.com",
        "proton.me",
        "online.no",
        "start.no",
        "frisurf.no",
        "yandex.com",
        "yandex.ru",
        "mail.ru",
        "zoho.com",
        "fastmail.com",
        "hey.com",
        "tutanota.com",
    ]
)

# Legal-form words that do not distinguish one company from another.
LEGAL_FORMS = frozenset(
    [
        "gmbh",
        "mbh",
        "ag",
        "kg",
        "ohg",
        "ug",
        "co",
        "kgaa",
        "se",
        "ev",
        "eg",
        "gbr",
        "as",
        "asa",
        "ans",
        "sa",
        "ab",
        "oy",
        "aps",
        "ltd",
        "limited",
        "plc",
        "llc",
        "llp",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "company",
        "nv",
        "bv",
        "srl",
        "spa",
        "sarl",
        "sas",
    ]
)

MAX_AMOUNT = Decimal("99999999999999.99")
COMPANY_KEY_LENGTH = 200
E164_MAX_LENGTH = 16  # "+" and at most 15 digits

# Letters that Unicode decomposition leaves alone, written the way German and Norwegian
# speakers spell them without the special letter ("Müller" and "Mueller" are one company).
TRANSLITERATIONS = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "æ": "ae",
        "ø": "oe",
        "å": "aa",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
    }
)


def normalise_email(value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if value.lower().startswith("mailto:"):
        value = value[7:]
    local, sep, domain = value.rpartition("@")
    if not sep:
        raise ValueError(_("“%(value)s” is not an e-mail address: it has no @.") % {"value": value})
    try:
        domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise ValueError(
            _("“%(value)s” is not a valid e-mail address.") % {"value": value}
        ) from exc
    # Mail servers treat the local part case-insensitively in practice; one form makes
    # matching and duplicate checks exact.
    address = f"{local.lower()}@{domain}"
    try:
        validate_email(address)
    except ValidationError as exc:
        raise ValueError(
            _("“%(value)s” is not a valid e-mail address.") % {"value": value}
        ) from exc
    return address


def email_domain(email: str | None) -> str:
    """The company domain of an address, or "" for free-mail providers."""
    if not email or "@" not in email:
        return ""
    domain = email.rsplit("@", 1)[1].lower()
    return "" if domain in FREE_MAIL_DOMAINS else domain


def normalise_phone(value: str | None, *, region: str | None = None) -> str:
    """E.164 form (+4930123456). ``region`` (ISO 3166 alpha-2) reads national numbers."""
    value = (value or "").strip()
    if not value:
        return ""
    typed = value
    region = (region or settings.VORSPRUNG_DEFAULT_PHONE_REGION or "").upper() or None
    if value.startswith("00"):
        value = "+" + value[2:]
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(
            _("“%(value)s” is not a phone number we can read.") % {"value": typed}
        ) from exc
    # is_valid_number, not is_possible_number: "possible" admits numbers dialable only
    # locally ("123") and ones that do not read back to themselves once stored.
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not phonenumbers.is_valid_number(number) or len(e164) > E164_MAX_LENGTH:
        raise ValueError(
            _("“%(value)s” is not a valid phone number for its country.") % {"value": typed}
        )
    return e164


def normalise_domain(value: str | None) -> str:
    """A website or domain as a bare lower-case host without www. ("example.com")."""
    typed = (value or "").strip()
    value = typed.lower()
    if not value:
        return ""
    if "://" not in value:
        value = "http://" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        host = ""
    host = host.strip(".")
    if host.startswith("www."):
        host = host[4:]
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        host = ""
    if not host or "." not in host or not re.fullmatch(r"[a-z0-9.-]+", host):
        raise ValueError(_("“%(value)s” is not a website address.") % {"value": typed})
    return host


def normalise_website(value: str | None) -> str:
    """A website as a URL with a scheme; validates that it has a real host."""
    value = (value or "").strip()
    if not value:
        return ""
    normalise_domain(value)
    return value if "://" in value else f"https://{value}"


def company_key(name: str | None) -> str:
    """A matching key for a company name: lower case, no accents, punctuation or legal
    form; umlauts spelt out. "Müller & Söhne GmbH" → "mueller soehne"."""
    if not name:
        return ""
    text = name.lower().translate(TRANSLITERATIONS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("&", " ").replace("+", " ")
    words = re.findall(r"[a-z0-9]+", text)
    meaningful = [w for w in words if w not in LEGAL_FORMS and w not in {"und", "and", "og"}]
    key = ""
    for word in meaningful or words:
        # Cut between words, so the key of a key is the key itself.
        candidate = f"{key} {word}" if key else word
        if len(candidate) > COMPANY_KEY_LENGTH:
            return key or word[:COMPANY_KEY_LENGTH]
        key = candidate
    return key


@cache
def currency_codes() -> frozenset[str]:
    """The ISO 4217 currency codes (Babel's list)."""
    return frozenset(list_currencies())


def normalise_currency(value: str | None) -> str:
    code = (value or "").strip().upper()
    if not code:
        return settings.VORSPRUNG_DEFAULT_CURRENCY
    if code not in currency_codes():
        raise ValueError(_("“%(value)s” is not an ISO 4217 currency code.") % {"value": value})
    return code


def normalise_amount(value) -> Decimal | None:
    """A non-negative money amount with two decimals, or None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(" ", ""))
    except InvalidOperation as exc:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from exc
    if not amount.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    if amount < 0:
        raise ValueError(_("The amount cannot be negative."))
    if amount > MAX_AMOUNT:
        raise ValueError(_("The amount is too large."))
    return amount.quantize(Decimal("0.01"))


@cache
def _country_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, name in countries:
        lookup[code.lower()] = code
        lookup[str(name).lower()] = code
        alpha3 = countries.alpha3(code)
        if alpha3:
            lookup[alpha3.lower()] = code
    lookup.update({"uk": "GB", "usa": "US", "deutschland": "DE", "norge": "NO"})
    return lookup


def normalise_country(value: str | None) -> str:
    """ISO 3166 alpha-2 from a code (DE, DEU) or an English name ("Germany")."""
    text = (value or "").strip()
    if not text:
        return ""
    code = _country_lookup().get(text.lower())
    if not code:
        raise ValueError(_("“%(value)s” is not a country we know.") % {"value": text})
    return code
