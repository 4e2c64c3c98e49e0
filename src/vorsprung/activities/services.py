"""Writes for activities: log an interaction or marketing touch, schedule and complete tasks."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vorsprung.accounts.permissions import check_may_delete
from vorsprung.activities.choices import INTERACTION_KINDS, ActivityKind, Direction
from vorsprung.activities.models import Activity
from vorsprung.core.errors import Conflict, ValidationError
from vorsprung.core.validation import FieldErrors, apply_fields, check_version

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


@transaction.atomic
def activity_create(*, actor, **data) -> Activity:
    """Log an activity on a lead, contact, organization and/or opportunity.

    Tasks are created open (not done) and need a due date. A done outbound interaction
    (call, e-mail, meeting, …) with a new lead moves the lead to ``working``: it has
    been contacted."""
    from vorsprung.leads.services import lead_lock, lead_mark_contacted

    if data.get("lead") is not None:
        # Decide on the lead's current status, not the caller's copy: a conversion or
        # another call may have changed it since.
        data["lead"] = lead_lock(data["lead"])
    data.setdefault("owner", actor)
    if data.get("kind") == ActivityKind.TASK:
        data.setdefault("done", False)
    activity = Activity()
    apply_fields(activity, data, editable=ACTIVITY_FIELDS)
    _check_links(activity)
    _derive(activity)
    activity.save()
    if (
        activity.lead is not None
        and activity.done
        and activity.kind in INTERACTION_KINDS
        and activity.direction != Direction.INBOUND
    ):
        lead_mark_contacted(actor=actor, lead=activity.lead)
    return activity


@transaction.atomic
def activity_update(
    *, actor, activity: Activity, expected_version: int | None = None, **data
) -> Activity:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    check_version(activity, expected_version)
    previous_lead_id = activity.lead_id
    apply_fields(activity, data, editable=ACTIVITY_FIELDS)
    _check_links(activity, lead_changed=activity.lead_id != previous_lead_id)
    _derive(activity)
    activity.save()
    return activity


@transaction.atomic
def activity_complete(*, actor, activity: Activity, outcome: str = "") -> Activity:
    """Mark a task or planned activity as done."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.done:
        raise Conflict(_("This activity is already done."), code="already_done")
    data = {"done": True}
    if outcome:
        data["outcome"] = outcome
    apply_fields(activity, data, editable=ACTIVITY_FIELDS)
    activity.done_at = timezone.now()
    activity.save()
    return activity


def activity_delete(*, actor, activity: Activity) -> None:
    """Deleting is for managers and administrators; reps mark activities done instead."""
    check_may_delete(actor)
    activity.delete()
