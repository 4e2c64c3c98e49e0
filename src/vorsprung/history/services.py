"""Writing the change history, in one place.

Every service that creates, changes, converts or deletes a lead, contact, organization,
opportunity or activity calls these functions inside its own transaction, so the record
of a change commits or rolls back with the change. A change of several fields is one
entry per field. The acting user, the time and the door it came through (web, API and
which token, admin, command line, system) are taken here, not by each caller.

    before = history_snapshot(lead)
    … change and save the lead …
    history_record_changes(actor=actor, record=lead, before=before)
"""

import datetime
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import models
from django.utils import timezone

from vorsprung.core.doors import current_entrance
from vorsprung.core.records import record_type_of
from vorsprung.history.choices import Action
from vorsprung.history.models import Change

# Bookkeeping every record has; never worth an entry of its own.
IGNORED = frozenset({"id", "created_at", "updated_at", "version", "search_document"})
LABEL_LENGTH = 255


@dataclass(frozen=True)
class SystemNote:
    """A note the application writes ("Won “Fleet renewal”"): its English message (mark it
    with ``gettext_noop``) and values, translated for each reader when shown."""

    message: str
    args: dict = field(default_factory=dict)


@cache
def tracked_fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    """The fields whose changes are recorded: every concrete field but bookkeeping and
    what the model derives itself (``history_ignored`` on the model)."""
    ignored = IGNORED | set(getattr(model, "history_ignored", ()))
    return tuple(f for f in model._meta.concrete_fields if f.name not in ignored)


@dataclass
class Snapshot:
    """A record's tracked values at one moment, and the related records it had loaded
    (so the labels of a changed owner or stage cost no query)."""

    values: dict[str, Any]
    related: dict[str, models.Model] = field(default_factory=dict)


def history_snapshot(record: models.Model) -> Snapshot:
    values, related = {}, {}
    for f in tracked_fields(type(record)):
        values[f.attname] = getattr(record, f.attname)
        if f.is_relation and f.is_cached(record):
            cached = f.get_cached_value(record)
            if cached is not None:
                related[f.attname] = cached
    return Snapshot(values=values, related=related)


def value_text(value: Any) -> str:
    """A value as the history stores it: ids, choice values, ISO dates, plain numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    if isinstance(value, models.Model):
        return str(value.pk)
    code = getattr(value, "code", None)  # a django-countries Country
    if code is not None:
        return code or ""
    return str(value)


def record_label(record: models.Model | None) -> str:
    """How a related record reads in the history: its name, else its text."""
    if record is None:
        return ""
    name = getattr(record, "name", None)
    return str(name if isinstance(name, str) and name else record)[:LABEL_LENGTH]


def _related_label(f: models.Field, pk: Any, known: models.Model | None) -> str:
    if pk is None:
        return ""
    if known is None or known.pk != pk:
        known = f.related_model._base_manager.filter(pk=pk).first()
    return record_label(known) if known is not None else ""


def note_fields(note: str | SystemNote) -> dict:
    """The note columns: a user's words as they are, or a message of the application's
    own kept untranslated with its values (see ``SystemNote``)."""
    if isinstance(note, SystemNote):
        return {"note": note.message[:LABEL_LENGTH], "note_args": note.args}
    return {"note": str(note or "")[:LABEL_LENGTH]}


def _entrance_fields(actor) -> dict:
    entrance = current_entrance()
    return {
        "actor": actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        "door": entrance.door,
        "token_prefix": entrance.token_prefix,
    }


# --- buffering: many entries in one INSERT ----------------------------------------------

_buffer: ContextVar[list[Change] | None] = ContextVar("history_buffer", default=None)


@contextmanager
def history_batch() -> Iterator[None]:
    """Collect the entries written inside the block and store them with one INSERT at
    its end (call inside the service's transaction). Nested blocks join the outer one."""
    if _buffer.get() is not None:
        yield
        return
    rows: list[Change] = []
    reset = _buffer.set(rows)
    try:
        yield
    finally:
        _buffer.reset(reset)
    if rows:
        Change.objects.bulk_create(rows)


def _write(rows: list[Change]) -> list[Change]:
    buffer = _buffer.get()
    if buffer is not None:
        buffer.extend(rows)
    elif len(rows) == 1:
        rows[0].save()
    elif rows:
        Change.objects.bulk_create(rows)
    return rows


# --- what services call -----------------------------------------------------------------


def history_record_created(*, actor, record: models.Model, note: str | SystemNote = "") -> Change:
    """``record`` was created. A record with a state (a lead's status, an opportunity's
    stage, an organization's lifecycle) names the state it starts in."""
    state = getattr(type(record), "history_state_field", "")
    new_value = new_label = ""
    if state:
        f = record._meta.get_field(state)
        value = getattr(record, f.attname)
        new_value = value_text(value)
        if f.is_relation:
            new_label = record_label(getattr(record, f.name))
    row = Change(
        record_type=record_type_of(record),
        record_id=record.pk,
        action=Action.CREATED,
        field=state,
        new_value=new_value,
        new_label=new_label,
        at=timezone.now(),
        **note_fields(note),
        **_entrance_fields(actor),
    )
    return _write([row])[0]


def history_changes(
    *,
    actor,
    record: models.Model,
    before: Snapshot,
    action: str = Action.UPDATED,
    note: str | SystemNote = "",
) -> list[Change]:
    """The entries for every tracked field of ``record`` that differs from ``before``,
    unsaved."""
    after = history_snapshot(record)
    common = {
        "record_type": record_type_of(record),
        "record_id": record.pk,
        "action": action,
        "at": timezone.now(),
        **note_fields(note),
        **_entrance_fields(actor),
    }
    rows = []
    for f in tracked_fields(type(record)):
        old, new = before.values.get(f.attname), after.values[f.attname]
        if value_text(old) == value_text(new):
            continue
        labels = {}
        if f.is_relation:
            labels = {
                "old_label": _related_label(f, old, before.related.get(f.attname)),
                "new_label": _related_label(f, new, after.related.get(f.attname)),
            }
        rows.append(
            Change(
                field=f.name,
                old_value=value_text(old),
                new_value=value_text(new),
                **labels,
                **common,
            )
        )
    return rows


def history_record_changes(
    *,
    actor,
    record: models.Model,
    before: Snapshot,
    action: str = Action.UPDATED,
    note: str | SystemNote = "",
) -> list[Change]:
    """Record every tracked field of ``record`` that differs from ``before`` (nothing
    when nothing changed)."""
    return _write(
        history_changes(actor=actor, record=record, before=before, action=action, note=note)
    )


def history_record_deleted(*, actor, record: models.Model, note: str | SystemNote = "") -> Change:
    """``record`` is about to be deleted: the entry keeps what it was (all its tracked
    values) and what it was called."""
    return history_record_deleted_many(actor=actor, records=[record], note=note)[0]


def history_record_deleted_many(
    *, actor, records: Iterable[models.Model], note: str | SystemNote = ""
) -> list[Change]:
    common = {"action": Action.DELETED, **note_fields(note), **_entrance_fields(actor)}
    now = timezone.now()
    rows = []
    for record in records:
        snapshot = history_snapshot(record).values
        rows.append(
            Change(
                record_type=record_type_of(record),
                record_id=record.pk,
                old_value=json.dumps(
                    {name: value_text(value) for name, value in snapshot.items()},
                    ensure_ascii=False,
                ),
                old_label=str(record)[:LABEL_LENGTH],
                at=now,
                **common,
            )
        )
    return _write(rows)


def history_record_field(
    *,
    actor,
    record_type: str,
    record_ids: Iterable[int],
    field: str,
    old_value: Any = None,
    new_value: Any = None,
    old_label: str = "",
    new_label: str = "",
    note: str | SystemNote = "",
    action: str = Action.UPDATED,
) -> list[Change]:
    """One field of many records changed alike (a bulk move): one entry each."""
    common = {
        "record_type": record_type,
        "action": action,
        "field": field,
        "old_value": value_text(old_value),
        "new_value": value_text(new_value),
        "old_label": old_label[:LABEL_LENGTH],
        "new_label": new_label[:LABEL_LENGTH],
        "at": timezone.now(),
        **note_fields(note),
        **_entrance_fields(actor),
    }
    return _write([Change(record_id=record_id, **common) for record_id in record_ids])
