"""Exchange rates: administrators keep dated rates to the base currency; totals in several
currencies are shown per currency, and converted into the base currency only where every
currency involved has a rate.

Sums are made by the database per currency; only those few totals are converted here.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from vorsprung.accounts.permissions import check_is_admin
from vorsprung.core.errors import ValidationError
from vorsprung.core.normalisers import normalise_currency
from vorsprung.core.transactions import service
from vorsprung.core.validation import FieldErrors, reject_unknown_fields, run_model_validation
from vorsprung.sales.models import ExchangeRate

CENT = Decimal("0.01")


def base_currency() -> str:
    return settings.VORSPRUNG_DEFAULT_CURRENCY


# --- Reads -------------------------------------------------------------------------------


def exchange_rate_list() -> QuerySet[ExchangeRate]:
    """Every rate, by currency, newest first."""
    return ExchangeRate.objects.order_by("currency", "-valid_from", "-id")


def exchange_rate_get(*, id: int) -> ExchangeRate:
    return ExchangeRate.objects.get(pk=id)


def rates_on(currencies, *, day: datetime.date | None = None) -> dict[str, ExchangeRate]:
    """The rate in force on ``day`` (today) for each of ``currencies`` that has one, in
    one query."""
    currencies = sorted({c for c in currencies if c and c != base_currency()})
    if not currencies:
        return {}
    day = day or timezone.localdate()
    latest = (
        ExchangeRate.objects.filter(currency=OuterRef("currency"), valid_from__lte=day)
        .order_by("-valid_from")
        .values("valid_from")[:1]
    )
    rows = ExchangeRate.objects.filter(
        currency__in=currencies, valid_from__lte=day, valid_from=Subquery(latest)
    )
    return {rate.currency: rate for rate in rows}


@dataclass(frozen=True)
class Converted:
    """A sum in several currencies, converted into the base currency."""

    amount: Decimal
    currency: str
    as_of: datetime.date | None  # the oldest rate used; None when nothing needed converting


def convert_total(
    amounts: list[tuple[str, Decimal]], rates: dict[str, ExchangeRate]
) -> Converted | None:
    """``amounts`` ((currency, sum) pairs) in the base currency, or None when one of their
    currencies has no rate: then there is no honest total."""
    base = base_currency()
    total, used = Decimal(0), []
    for currency, amount in amounts:
        if amount is None:
            continue
        if currency == base:
            total += amount
            continue
        rate = rates.get(currency)
        if rate is None:
            return None
        total += amount * rate.rate
        used.append(rate.valid_from)
    return Converted(amount=total.quantize(CENT), currency=base, as_of=min(used) if used else None)


# --- Writes (administrators only) ---------------------------------------------------------


def _clean(rate: ExchangeRate, data: dict) -> None:
    errors = FieldErrors()
    if "currency" in data:
        rate.currency = errors.clean("currency", normalise_currency, data["currency"]) or ""
        if rate.currency == base_currency():
            errors.add(
                "currency",
                _("%(currency)s is the base currency; it needs no rate.")
                % {"currency": rate.currency},
            )
    if "rate" in data:
        value = data["rate"]
        try:
            rate.rate = Decimal(str(value))
        except (ArithmeticError, ValueError):
            errors.add("rate", _("Enter a number."))
        else:
            if not rate.rate.is_finite() or rate.rate <= 0:
                errors.add("rate", _("A rate is a number above zero."))
    if "valid_from" in data:
        rate.valid_from = data["valid_from"]
        if rate.valid_from is None:
            errors.add("valid_from", _("Enter the day the rate applies from."))
    errors.raise_if_any()
    run_model_validation(rate)


def _save(rate: ExchangeRate) -> ExchangeRate:
    try:
        with transaction.atomic():
            rate.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"valid_from": [_("This currency has a rate from this day already.")]}
        ) from exc
    return rate


@service
def exchange_rate_create(*, actor, currency: str, rate, valid_from: datetime.date) -> ExchangeRate:
    """Record what one unit of ``currency`` is worth in the base currency from
    ``valid_from`` on. Administrators only; refuses the base currency itself, a rate that
    is not above zero and a second rate of one currency for the same day."""
    check_is_admin(actor)
    entry = ExchangeRate()
    _clean(entry, {"currency": currency, "rate": rate, "valid_from": valid_from})
    return _save(entry)


@service
def exchange_rate_update(*, actor, exchange_rate: ExchangeRate, **data) -> ExchangeRate:
    """Correct a rate (``currency``, ``rate``, ``valid_from``), with the refusals of
    ``exchange_rate_create``. Administrators only."""
    check_is_admin(actor)
    entry = ExchangeRate.objects.select_for_update().get(pk=exchange_rate.pk)
    reject_unknown_fields(data, ("currency", "rate", "valid_from"))
    _clean(entry, data)
    return _save(entry)


@service
def exchange_rate_delete(*, actor, exchange_rate: ExchangeRate) -> None:
    """Remove a rate; totals then convert with the rate before it, or not at all."""
    check_is_admin(actor)
    ExchangeRate.objects.filter(pk=exchange_rate.pk).delete()
