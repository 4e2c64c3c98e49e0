"""The record types of the CRM and a registry through which apps reach each other's records.

Apps lower in the stack (history, search, activities) attach to leads, contacts,
organizations and opportunities without importing the apps that define them: each app
registers its record types here when Django starts (``AppConfig.ready``), with the
selectors that read them for a user. Asking the registry is reading through the owning
app's selectors, so that app's visibility rules apply.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordType(models.TextChoices):
    LEAD = "lead", _("Lead")
    CONTACT = "contact", _("Contact")
    ORGANIZATION = "organization", _("Organization")
    OPPORTUNITY = "opportunity", _("Opportunity")
    ACTIVITY = "activity", _("Activity")


@dataclass(frozen=True)
class RecordKind:
    """What other apps may know of one record type."""

    type: str
    model: type[models.Model]
    # get(user=, id=) -> the record if the user may see it, else model.DoesNotExist
    get: Callable[..., Any]
    # list(user=, filters=None) -> QuerySet of the records the user may see
    list: Callable[..., Any]
    # URL name of the record's page (one argument: its id), or "" when it has none
    detail_url: str = ""
    # Called inside the transaction that logs an activity on the record:
    # (actor, record) -> the record re-read with a row lock, to decide on its current state
    lock: Callable[..., Any] | None = None
    # Called inside that transaction after the activity is saved: (actor, record, activity)
    activity_logged: Callable[..., Any] | None = None
    # record -> its search document (see vorsprung.search.documents); None: not searched
    search_document: Callable[[Any], str] | None = None
    extra: dict = field(default_factory=dict)


_KINDS: dict[str, RecordKind] = {}


def register(kind: RecordKind) -> None:
    _KINDS[kind.type] = kind


def record_kind(record_type: str) -> RecordKind:
    """The registered kind; ``LookupError`` for a type no app registered."""
    try:
        return _KINDS[record_type]
    except KeyError:
        raise LookupError(f"no record type {record_type!r} is registered") from None


def record_kinds() -> list[RecordKind]:
    return list(_KINDS.values())


def record_type_of(record: models.Model) -> str:
    """The registered type of a record instance."""
    for kind in _KINDS.values():
        if isinstance(record, kind.model):
            return kind.type
    raise LookupError(f"{type(record).__name__} is not a registered record type")
