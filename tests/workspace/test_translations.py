"""The German and Norwegian catalogs are complete, and pages speak the reader's language."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.test import Client

from tests.factories import LeadFactory, TeamFactory, UserFactory

LOCALE = Path(__file__).resolve().parents[2] / "src" / "vorsprung" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@pytest.mark.parametrize("language", ["de", "nb"])
def test_every_message_is_translated_with_its_placeholders(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(("untranslated", ids[0]))
            continue
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if sorted(PLACEHOLDER.findall(string)) != wanted and len(strings) == 1:
                problems.append(("placeholders", ids[0]))
    assert problems == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", ["Verkaufschancen", "Qualifizierung", "Anruf erfassen", "Abmelden"]),
        ("nb", ["Salgsmuligheter", "Kvalifisering", "Logg ut", "Tidsramme"]),
    ],
)
def test_the_lead_page_in_the_users_language(language, expected):
    rep = UserFactory(team=TeamFactory(), language=language)
    lead = LeadFactory(owner=rep)
    client = Client()
    client.force_login(rep)
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    for text in expected:
        assert text in page
    assert "Log out" not in page


@pytest.mark.django_db
def test_numbers_and_dates_follow_the_language():
    from decimal import Decimal

    from django.utils import translation

    from vorsprung.ui.templatetags.ui import money

    amounts = {}
    for language in ("en", "de", "nb"):
        with translation.override(language):
            amounts[language] = money(Decimal("12500.50"), "EUR")
    assert amounts == {"en": "€12,500.50", "de": "12.500,50\xa0€", "nb": "12\xa0500,50\xa0€"}
