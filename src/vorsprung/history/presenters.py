"""History entries as a reader sees them, in the reader's language: field names and
choice values are translated when shown, not when stored."""

import datetime
import json
from dataclasses import dataclass

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from vorsprung.core.records import record_kind
from vorsprung.core.reference import SeededName
from vorsprung.history.choices import Action
from vorsprung.history.models import Change

LONG_TEXT = 120


def _field(change: Change) -> models.Field | None:
    if not change.field:
        return None
    try:
        return record_kind(change.record_type).model._meta.get_field(change.field)
    except (LookupError, models.FieldDoesNotExist):
        return None


def field_label(change: Change) -> str:
    field = _field(change)
    if field is None:
        return change.field
    return str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:]


def _shorten(text: str) -> str:
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


def _seeded_label(field: models.Field | None, label: str) -> str:
    """A related record's label as it read then: a seeded stage's English name reads in
    the reader's language, like the stage itself (``core.reference``)."""
    related = getattr(field, "related_model", None)
    seeded = isinstance(related, type) and issubclass(related, SeededName)
    if seeded and label in related.seeded_names.values():
        return _(label)
    return label


def value_label(change: Change, value: str, stored_label: str) -> str:
    """A stored value as the reader reads it."""
    if stored_label:
        return _seeded_label(_field(change), stored_label)
    if value == "":
        return "—"
    field = _field(change)
    if field is None:
        return _shorten(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value == "true" else _("no")
    try:
        if isinstance(field, models.DateTimeField):
            moment = timezone.localtime(datetime.datetime.fromisoformat(value))
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        if isinstance(field, models.DateField):
            return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except (ValueError, OverflowError):
        return value
    if isinstance(field, models.JSONField):
        try:
            return _shorten(", ".join(f"{k}: {v}" for k, v in json.loads(value).items()))
        except (ValueError, AttributeError):
            return _shorten(value)
    return _shorten(value)


def note_text(change: Change) -> str:
    """The note in the reader's language: the application's own messages are translated
    with their values; a user's words stay as written, unless they are one of the
    application's own labels (a reason picked from a list the application brought)."""
    if not change.note:
        return ""
    if change.note_args is not None:
        try:
            return _(change.note) % change.note_args
        except (KeyError, TypeError, ValueError):
            return change.note
    # A reason picked from a list, maybe with details typed after it ("Price: 20 % over").
    head, sep, details = change.note.partition(": ")
    return f"{_(head)}{sep}{details}"


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


def field_change(change: Change) -> FieldChange:
    return FieldChange(
        field=change.field,
        label=field_label(change),
        old=value_label(change, change.old_value, change.old_label),
        new=value_label(change, change.new_value, change.new_label),
    )


@dataclass(frozen=True)
class HistoryItem:
    """One operation on the timeline: the entries one user wrote at one moment."""

    changes: list[Change]

    @property
    def first(self) -> Change:
        return self.changes[0]

    @property
    def action(self) -> str:
        return self.first.action

    @property
    def action_label(self) -> str:
        return str(Action(self.action).label) if self.action in Action.values else self.action

    @property
    def fields(self) -> list[FieldChange]:
        return [field_change(c) for c in self.changes if c.field]

    @property
    def notes(self) -> list[str]:
        return list(dict.fromkeys(note_text(c) for c in self.changes if c.note))

    @property
    def deleted_label(self) -> str:
        return self.first.old_label if self.action == Action.DELETED else ""

    @property
    def pk(self) -> int:
        return self.first.pk


def group_changes(changes: list[Change]) -> list[HistoryItem]:
    """Consecutive entries of one operation (same moment, user, door and action) as one
    item, in the order given."""
    items: list[list[Change]] = []
    for change in changes:
        previous = items[-1][-1] if items else None
        if previous is not None and (
            previous.at,
            previous.actor_id,
            previous.door,
            previous.action,
        ) == (change.at, change.actor_id, change.door, change.action):
            items[-1].append(change)
        else:
            items.append([change])
    return [HistoryItem(changes=group) for group in items]
