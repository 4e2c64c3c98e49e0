"""Helpers services use to validate input field by field and report every problem at once."""

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from vorsprung.core.dates import check_in_range


class FieldErrors:
    """Collects field → messages; ``raise_if_any`` raises one ValidationError with all of them."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(str(message))

    def clean(self, field: str, normaliser: Callable[..., Any], value: Any, **kwargs: Any) -> Any:
        try:
            return normaliser(value, **kwargs)
        except ValueError as exc:
            self.add(field, str(exc))
            return None

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def reject_unknown_fields(data: dict, allowed: Iterable[str]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(
            {name: [_("This field does not exist or cannot be changed here.")] for name in unknown}
        )


def run_model_validation(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """Django's field validation (lengths, choices, required fields), without unique checks,
    which the database enforces inside the transaction."""
    instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


def is_empty(value: Any) -> bool:
    """None, "" and empty collections are empty; False and 0 are values."""
    if value is None:
        return True
    if isinstance(value, bool | int | float | Decimal):
        return False
    return not value


def fill_empty_fields(instance: models.Model, values: dict[str, Any]) -> list[str]:
    """Copy ``values`` onto ``instance`` only where the instance's field is empty.
    Returns the names of the fields that were filled."""
    filled = []
    for name, value in values.items():
        if is_empty(value):
            continue
        if is_empty(getattr(instance, name)):
            setattr(instance, name, value)
            filled.append(name)
    return filled


def normalise_record_fields(data: dict[str, Any], errors: FieldErrors, *, region: str = "") -> dict:
    """Normalise the fields many records share (e-mail, phones, website, country, money)
    in place of what was typed. Problems go to ``errors`` under the field's name."""
    from vorsprung.core import normalisers as n

    cleaned = dict(data)
    if "country" in cleaned:
        cleaned["country"] = errors.clean("country", n.normalise_country, cleaned["country"]) or ""
        region = cleaned["country"] or region
    for field in ("email",):
        if field in cleaned:
            cleaned[field] = errors.clean(field, n.normalise_email, cleaned[field]) or ""
    for field in ("phone", "mobile"):
        if field in cleaned:
            cleaned[field] = (
                errors.clean(field, n.normalise_phone, cleaned[field], region=region or None) or ""
            )
    if cleaned.get("domain"):
        cleaned["domain"] = errors.clean("domain", n.normalise_domain, cleaned["domain"]) or ""
    if "website" in cleaned:
        cleaned["website"] = errors.clean("website", n.normalise_website, cleaned["website"]) or ""
        if cleaned["website"]:
            cleaned["domain"] = n.normalise_domain(cleaned["website"])
        elif "domain" not in cleaned:
            cleaned["domain"] = ""
    for field in ("currency", "budget_currency", "annual_revenue_currency"):
        if field in cleaned and cleaned[field] not in (None, ""):
            cleaned[field] = errors.clean(field, n.normalise_currency, cleaned[field])
    for field in ("amount", "budget_amount", "annual_revenue"):
        if field in cleaned:
            cleaned[field] = errors.clean(field, n.normalise_amount, cleaned[field])
    for field, value in cleaned.items():
        if isinstance(value, str) and field not in ("body", "description", "need"):
            cleaned[field] = value.strip()
        elif isinstance(value, datetime.date):
            errors.clean(field, check_in_range, value)
    return cleaned


def apply_fields(
    instance: models.Model,
    data: dict[str, Any],
    *,
    editable: Iterable[str],
    region: str = "",
    exclude_from_model_validation: Iterable[str] = (),
) -> dict[str, Any]:
    """Validate ``data`` against the ``editable`` fields, normalise it and set it on
    ``instance`` (unsaved). Raises one ValidationError naming every bad field."""
    reject_unknown_fields(data, editable)
    errors = FieldErrors()
    cleaned = normalise_record_fields(data, errors, region=region)
    for name, value in cleaned.items():
        if name not in errors.errors:
            setattr(instance, name, value)
    errors.raise_if_any()
    # Related records passed in were read from the database just now; checking that they
    # exist would cost a query each.
    resolved = {
        name
        for name, value in cleaned.items()
        if isinstance(value, models.Model) and value.pk is not None
    }
    # A field that may be blank and was not given keeps what it had: its default on a new
    # record, the value validated when it was stored on an existing one. Checking it
    # again costs time and finds nothing; required fields are always checked.
    untouched = {
        f.name for f in type(instance)._meta.concrete_fields if f.blank and f.name not in cleaned
    }
    # The country was checked against the ISO list by its normaliser; the model field would
    # walk its 250 choices again.
    checked = {"country"} & set(cleaned)
    run_model_validation(
        instance, exclude={*exclude_from_model_validation, *resolved, *untouched, *checked}
    )
    return cleaned


def check_version(instance: models.Model, expected_version: int | None) -> None:
    """Refuse to overwrite a record someone else changed since the caller read it."""
    from vorsprung.core.errors import Conflict

    if expected_version is not None and int(expected_version) != instance.version:
        raise Conflict(
            _(
                "This record was changed by someone else (version %(current)s, you edited "
                "version %(expected)s). Reload it and apply your change again."
            )
            % {"current": instance.version, "expected": expected_version},
            code="stale_version",
        )


def _state_text(instance: models.Model, field: models.Field) -> str:
    value = field.value_from_object(instance)
    manual_flag = getattr(instance, "followed_fields", {}).get(field.name)
    if manual_flag and not getattr(instance, manual_flag):
        return ""  # follows another field (the stage), not set by hand
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def seen_state(instance: models.Model, names: Iterable[str]) -> dict[str, str]:
    """What ``instance`` holds in the fields ``names`` (those that are model fields), as
    text an edit form can carry and ``check_seen`` can compare later."""
    state = {}
    for name in names:
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.concrete and not field.many_to_many:
            state[name] = _state_text(instance, field)
    return state


def _same(field: models.Field, a: str, b: str) -> bool:
    if a == b:
        return True
    if a == "" or b == "":
        return False
    try:
        return field.to_python(a) == field.to_python(b)
    except ValidationError:
        return False


def check_seen(instance: models.Model, seen: dict[str, str] | None) -> None:
    """Refuse to save an edit form over a change someone else made since the form was
    opened: ``seen`` is what the form showed of the fields it edits (``seen_state``); a
    change to any other field (a status moved by logging an activity, say) is no reason
    to refuse. The refusal names the fields."""
    from vorsprung.core.errors import Conflict

    if not seen:
        return
    now = seen_state(instance, seen)
    changed = [
        name
        for name, text in now.items()
        if not _same(instance._meta.get_field(name), str(seen[name]), text)
    ]
    if changed:
        labels = ", ".join(
            f"“{capfirst(instance._meta.get_field(name).verbose_name)}”" for name in changed
        )
        raise Conflict(
            _(
                "Someone else changed %(fields)s since you opened this form. Reload it and "
                "apply your change again."
            )
            % {"fields": labels},
            code="stale_fields",
        )
