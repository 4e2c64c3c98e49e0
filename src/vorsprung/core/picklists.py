"""Reads and writes shared by the admin-kept pick lists (lost reasons, disqualification
reasons).

Each app wraps these in its own named services (``lost_reason_create``,
``disqualify_reason_update`` …), which check the acting user first. The list keeps one
order: offered entries first, by position, then retired ones; every write renumbers the
positions 0, 1, 2 … so that a position is an entry's place in that list.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from vorsprung.core.errors import ValidationError
from vorsprung.core.models import PickListEntry
from vorsprung.core.validation import run_model_validation


def picklist_entries(model: type[PickListEntry], *, include_retired: bool = False):
    """The list in its one order: offered entries by position, then (when asked for) the
    retired ones."""
    entries = model.objects.order_by("-is_active", "position", "id")
    return entries if include_retired else entries.filter(is_active=True)


def _entries_in_order(model: type[PickListEntry]) -> list[PickListEntry]:
    return list(model.objects.select_for_update().order_by("-is_active", "position", "id"))


def _renumber(model: type[PickListEntry], entries: list[PickListEntry]) -> None:
    changed = []
    for position, entry in enumerate(entries):
        if entry.position != position:
            entry.position = position
            changed.append(entry)
    if changed:
        model.objects.bulk_update(changed, ["position"])


def _clean_label(model: type[PickListEntry], label: str | None, *, pk: int | None) -> str:
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": [_("Enter a label.")]})
    taken = model.objects.filter(label__iexact=label).exclude(pk=pk).first()
    if taken is not None and taken.is_active:
        raise ValidationError({"label": [_("This label is in the list already.")]})
    if taken is not None:
        raise ValidationError({"label": [_("A retired entry has this label; restore it instead.")]})
    return label


def _save(entry: PickListEntry, **kwargs) -> None:
    """Save, turning a label taken by a concurrent write into the same error as above."""
    run_model_validation(entry)
    try:
        with transaction.atomic():
            entry.save(**kwargs)
    except IntegrityError as exc:
        raise ValidationError({"label": [_("This label is in the list already.")]}) from exc


@transaction.atomic
def picklist_entry_create(model: type[PickListEntry], *, label: str) -> PickListEntry:
    """Add an offered entry at the end of the offered entries."""
    label = _clean_label(model, label, pk=None)
    entries = _entries_in_order(model)
    offered = sum(1 for entry in entries if entry.is_active)
    entry = model(label=label, is_active=True, position=offered)
    _save(entry)
    entries.insert(offered, entry)
    _renumber(model, entries)
    return entry


@transaction.atomic
def picklist_entry_update(
    entry: PickListEntry,
    *,
    label: str | None = None,
    position: int | None = None,
    is_active: bool | None = None,
) -> PickListEntry:
    """Rename an entry, move it to ``position`` (kept within the offered or the retired
    entries, whichever it belongs to), retire it (``is_active=False``: it goes to the top
    of the retired entries) or offer it again (it goes to the end of the offered ones)."""
    model = type(entry)
    entries = _entries_in_order(model)
    entry = next((e for e in entries if e.pk == entry.pk), None)
    if entry is None:
        raise model.DoesNotExist
    if label is not None and not entry.keeps_name(label):
        entry.label = _clean_label(model, label, pk=entry.pk)
    place = entries.index(entry)
    entries.remove(entry)
    offered = sum(1 for e in entries if e.is_active)
    if is_active is not None and is_active != entry.is_active:
        entry.is_active = is_active
        place = offered
    elif position is not None:
        low, high = (0, offered) if entry.is_active else (offered, len(entries))
        place = min(max(int(position), low), high)
    entries.insert(place, entry)
    _save(entry, update_fields=["label", "is_active"])
    _renumber(model, entries)
    return entry
