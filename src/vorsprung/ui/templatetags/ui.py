"""Formatting and small pieces every page uses."""

import copy
from decimal import Decimal

import phonenumbers
from babel import Locale
from babel.numbers import format_currency, format_decimal
from django import template
from django.conf import settings
from django.utils import translation

register = template.Library()

BABEL_LOCALES = {"en": "en_GB", "de": "de_DE", "nb": "nb_NO"}


def _locale() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return BABEL_LOCALES.get(language.split("-")[0], "en_GB")


@register.filter
def money(amount, currency: str = "") -> str:
    """An amount in its currency, written the way the reader's language writes money;
    whole amounts without cents."""
    if amount in (None, ""):
        return "—"
    amount = Decimal(amount)
    currency = currency or settings.VORSPRUNG_DEFAULT_CURRENCY
    locale = Locale.parse(_locale())
    if amount != amount.to_integral_value():
        return format_currency(amount, currency, locale=locale)
    pattern = copy.copy(locale.currency_formats["standard"])
    pattern.frac_prec = (0, 0)
    return pattern.apply(amount, locale, currency=currency, currency_digits=False)


@register.filter
def number(value) -> str:
    if value in (None, ""):
        return "—"
    return format_decimal(value, locale=_locale())


@register.filter
def percent(value) -> str:
    if value in (None, ""):
        return "—"
    return f"{format_decimal(value, locale=_locale())} %"


@register.filter
def phone(value: str) -> str:
    """An E.164 number written for reading: +49 621 7182055."""
    if not value:
        return ""
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@register.simple_tag(takes_context=True)
def active(context, *prefixes: str) -> str:
    """``active`` when the current path starts with one of the prefixes (navigation)."""
    path = context["request"].path
    return "active" if any(path.startswith(prefix) for prefix in prefixes) else ""
