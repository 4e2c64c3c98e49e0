"""Writes for activities: log an interaction or marketing touch, schedule and complete tasks.

Activities attach to leads, contacts, organizations and opportunities; this app reaches
those records only through the record registry (``core.records``), which their apps fill.
"""

from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vorsprung.accounts.permissions import check_may_delete
from vorsprung.activities.choices import ActivityKind
from vorsprung.activities.models import Activity
from vorsprung.core.errors import Conflict, ValidationError
from vorsprung.core.records import record_kind
from vorsprung.core.transactions import service
from vorsprung.core.validation import FieldErrors, apply_fields, check_version
from vorsprung.history.services import (
    SystemNote,
    history_batch,
    history_record_changes,
    history_record_created,
    history_record_deleted,
    history_record_deleted_many,
    history_record_field,
    history_snapshot,
    record_label,
)

ACTIVITY_FIELDS = frozenset(
    {
        "kind",
        "direction",
        "subject",
        "body",
        "occurred_at",
        "due_at",
        "done",
        "outcome",
        "owner",
        "lead",
        "contact",
        "organization",
        "opportunity",
    }
)
# The records an activity may be linked to; each is also the name of a record type.
LINKS = ("lead", "contact", "organization", "opportunity")


def _check_links(activity: Activity, *, lead_changed: bool = True) -> None:
    errors = FieldErrors()
    if not any(getattr(activity, f"{link}_id") for link in LINKS):
        errors.add("lead", _("Link the activity to a lead, contact, organization or opportunity."))
    lead = activity.lead
    if lead_changed and lead is not None and lead.is_converted:
        errors.add(
            "lead",
            _("This lead is converted and read-only; log the activity on its contact instead."),
        )
    contact = activity.contact
    if (
        contact is not None
        and activity.organization_id
        and contact.organization_id not in (None, activity.organization_id)
    ):
        errors.add("contact", _("This contact works for another organization."))
    errors.raise_if_any()


def _derive(activity: Activity) -> None:
    if activity.kind == ActivityKind.TASK and activity.due_at is None:
        raise ValidationError({"due_at": [_("A task needs a due date.")]})
    if activity.done and activity.done_at is None:
        activity.done_at = timezone.now()
    if not activity.done:
        activity.done_at = None
    if activity.organization_id is None:
        for source in (activity.contact, activity.opportunity):
            if source is not None and source.organization_id:
                activity.organization_id = source.organization_id
                break


def _lock_links(actor, data: dict) -> None:
    """Re-read the linked records whose state the activity may change (a lead it
    contacts), with a row lock: decide on their current state, not the caller's copy."""
    for link in LINKS:
        kind = record_kind(link)
        if data.get(link) is not None and kind.lock is not None:
            data[link] = kind.lock(data[link])


def _tell_links(actor, activity: Activity) -> None:
    """Let each linked record's app react to the new activity (a first call moves a new
    lead to ``working``), in this transaction."""
    for link in LINKS:
        record = getattr(activity, link)
        kind = record_kind(link)
        if record is not None and kind.activity_logged is not None:
            kind.activity_logged(actor=actor, record=record, activity=activity)


@service
def activity_create(*, actor, **data) -> Activity:
    """Log an activity on a lead, contact, organization and/or opportunity.

    Tasks are created open (not done) and need a due date. A done outbound interaction
    (call, e-mail, meeting, …) with a new lead moves the lead to ``working``: it has
    been contacted."""
    _lock_links(actor, data)
    data.setdefault("owner", actor)
    if data.get("kind") == ActivityKind.TASK:
        data.setdefault("done", False)
    activity = Activity()
    apply_fields(activity, data, editable=ACTIVITY_FIELDS)
    _check_links(activity)
    _derive(activity)
    activity.save()
    history_record_created(actor=actor, record=activity)
    _tell_links(actor, activity)
    return activity


@service
def activity_update(
    *, actor, activity: Activity, expected_version: int | None = None, **data
) -> Activity:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    check_version(activity, expected_version)
    before = history_snapshot(activity)
    previous_lead_id = activity.lead_id
    apply_fields(activity, data, editable=ACTIVITY_FIELDS)
    _check_links(activity, lead_changed=activity.lead_id != previous_lead_id)
    _derive(activity)
    activity.save()
    history_record_changes(actor=actor, record=activity, before=before)
    return activity


@service
def activity_complete(
    *, actor, activity: Activity, outcome: str = "", expected_version: int | None = None
) -> Activity:
    """Mark a task or planned activity as done (refused when the activity's version is
    not ``expected_version``)."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    check_version(activity, expected_version)
    if activity.done:
        raise Conflict(_("This activity is already done."), code="already_done")
    before = history_snapshot(activity)
    data = {"done": True}
    if outcome:
        data["outcome"] = outcome
    apply_fields(activity, data, editable=ACTIVITY_FIELDS)
    activity.done_at = timezone.now()
    activity.save()
    history_record_changes(actor=actor, record=activity, before=before)
    return activity


@service
def activity_delete(*, actor, activity: Activity) -> None:
    """Deleting is for managers and administrators; reps mark activities done instead.
    The history keeps what the activity was."""
    check_may_delete(actor)
    history_record_deleted(actor=actor, record=activity)
    activity.delete()


def activity_relink_converted_lead(
    *, actor, lead, contact, organization=None, opportunity=None
) -> int:
    """Put a converted lead's activities on the timelines of what it became: each gets
    the contact, and the organization and opportunity where it has none yet (links an
    activity already has elsewhere stay). Each moved activity gets a new version and its
    history entries. Returns how many moved. Part of ``lead_convert``'s transaction: one
    query reads the lead's activities, one moves them."""
    targets = {"contact": contact, "organization": organization, "opportunity": opportunity}
    moves = []  # (activity id, field, old id, target)
    for pk, *links in Activity.objects.filter(lead=lead).values_list(
        "pk", "contact_id", "organization_id", "opportunity_id"
    ):
        for (field, target), current in zip(targets.items(), links, strict=True):
            if target is None or current == target.pk:
                continue
            if field == "contact" or current is None:
                moves.append((pk, field, current, target))
    if not moves:
        return 0
    moved = sorted({pk for pk, *_rest in moves})
    changes = {"contact": contact, "version": F("version") + 1, "updated_at": timezone.now()}
    for field in ("organization", "opportunity"):
        if targets[field] is not None:
            changes[f"{field}_id"] = Coalesce(f"{field}_id", Value(targets[field].pk))
    Activity.objects.filter(pk__in=moved).update(**changes)
    note = SystemNote(
        gettext_noop("Moved by the conversion of lead “%(lead)s”"), {"lead": str(lead)}
    )
    with history_batch():
        for pk, field, old, target in moves:
            history_record_field(
                actor=actor,
                record_type="activity",
                record_ids=[pk],
                field=field,
                old_value=old,
                new_value=target.pk,
                new_label=record_label(target),
                note=note,
            )
    return len(moved)


def activity_record_cascade(*, actor, **link) -> None:
    """The activities linked to a record about to be deleted go with it: their history
    keeps what they were. ``link``: one of lead=, contact=, organization=, opportunity=."""
    history_record_deleted_many(
        actor=actor,
        records=Activity.objects.filter(
            **{f"{name}_id": record.pk for name, record in link.items()}
        ),
        note=SystemNote(gettext_noop("Deleted with the record it belonged to")),
    )
