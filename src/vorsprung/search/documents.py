"""What the search index holds for a record: its searchable words, as one line of text.

A record's *search document* is its names, e-mail addresses (with their domain), company,
website domain and phone numbers, cut into words: lower case, accents removed, every
character that is not a letter or a digit a separator. Phone numbers are kept as their
digits twice, with the country code and without (``4930123456``, ``30123456``), so that
a number typed in any format finds them. The document starts and ends with a space, so
that `` word`` marks the start of a word and `` word `` a whole word in any database.
"""

import re
import unicodedata
from collections.abc import Iterable

import phonenumbers

_WORD = re.compile(r"[^\W_]+")
# Characters a phone number is typed with, besides its digits.
_PHONE_PUNCTUATION = re.compile(r"[\s+()\-./]")


def fold(text: str) -> str:
    """Lower case without accents: "Müller-Lüdenscheidt" → "muller-ludenscheidt"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str | None) -> list[str]:
    return _WORD.findall(fold(text or ""))


def name_words(text: str | None) -> list[str]:
    """A name's words, and, for a name written with a hyphen or an apostrophe, the name
    run together too ("O'Brien" is found as "obrien")."""
    found = words(text)
    if len(found) > 1 and re.search(r"[-'’]", text or ""):
        found.append("".join(found))
    return found


def phone_words(number: str | None) -> list[str]:
    """An E.164 number's digits with and without its country code."""
    digits = re.sub(r"\D", "", number or "")
    if not digits:
        return []
    try:
        national = str(phonenumbers.parse("+" + digits).national_number)
    except phonenumbers.NumberParseException:
        return [digits]
    return [digits, national] if national != digits else [digits]


def looks_like_phone(term: str) -> bool:
    """A term made of digits and the punctuation phone numbers are written with, with at
    least four digits."""
    digits = re.sub(r"\D", "", term)
    return len(digits) >= 4 and not _PHONE_PUNCTUATION.sub("", term).strip("0123456789")


def document(
    *,
    text: Iterable[str | None] = (),
    names: Iterable[str | None] = (),
    emails: Iterable[str | None] = (),
    domains: Iterable[str | None] = (),
    phones: Iterable[str | None] = (),
) -> str:
    """The search document of one record from its values, each kind read its own way."""
    found: list[str] = []
    for value in names:
        found += name_words(value)
    for value in text:
        found += words(value)
    for value in emails:
        found += words(value)
    for value in domains:
        found += words(_bare_host(value))
    for value in phones:
        found += phone_words(value)
    unique = list(dict.fromkeys(found))
    return f" {' '.join(unique)} " if unique else " "


def reader(record):
    """A function reading one field of a record: a model instance or a dict of values
    keyed by field name (rows written in bulk); a missing value reads as None."""
    if isinstance(record, dict):
        return record.get
    return lambda name: getattr(record, name, None)


def _bare_host(value: str | None) -> str:
    host = re.sub(r"^[a-z]+://", "", (value or "").strip().lower()).split("/", 1)[0]
    return host[4:] if host.startswith("www.") else host
