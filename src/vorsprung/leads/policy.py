"""Writes for what administrators decide about leads: the disqualification reasons offered
when a lead is disqualified, and how strict conversion is.

Leads keep the reason's label as text, so renaming, retiring or deleting a reason
rewrites no lead and no history."""

from django.db import transaction

from vorsprung.accounts.permissions import check_is_admin
from vorsprung.core.picklists import picklist_entry_create, picklist_entry_update
from vorsprung.leads.choices import LeadStatus
from vorsprung.leads.models import ConversionPolicy, DisqualifyReason, Lead


@transaction.atomic
def disqualify_reason_create(*, actor, label: str) -> DisqualifyReason:
    """Offer a new reason, at the end of the offered ones. Refuses an empty label and a
    label the list has already (in any letter case, retired reasons included)."""
    check_is_admin(actor)
    return picklist_entry_create(DisqualifyReason, label=label)


@transaction.atomic
def disqualify_reason_update(
    *,
    actor,
    reason: DisqualifyReason,
    label: str | None = None,
    position: int | None = None,
    is_active: bool | None = None,
) -> DisqualifyReason:
    """Rename a reason, move it to ``position`` (its place in the list, from 0), or retire
    (``is_active=False``) or offer it again. Refuses the labels ``disqualify_reason_create``
    refuses."""
    check_is_admin(actor)
    return picklist_entry_update(reason, label=label, position=position, is_active=is_active)


def disqualify_reason_retire(*, actor, reason: DisqualifyReason) -> DisqualifyReason:
    """Stop offering a reason; leads disqualified with it keep it."""
    return disqualify_reason_update(actor=actor, reason=reason, is_active=False)


@transaction.atomic
def disqualify_reason_delete(*, actor, reason: DisqualifyReason) -> DisqualifyReason | None:
    """Delete a reason no lead is disqualified with (a typo, say) and return None. A reason
    leads carry is retired instead, and returned, so that it stays known beside them."""
    check_is_admin(actor)
    in_use = Lead.objects.filter(
        status=LeadStatus.UNQUALIFIED, disqualification_reason=reason.label
    ).exists()
    if in_use:
        return picklist_entry_update(reason, is_active=False)
    DisqualifyReason.objects.filter(pk=reason.pk).delete()
    return None


@transaction.atomic
def conversion_policy_update(*, actor, require_complete_qualification: bool) -> ConversionPolicy:
    """Whether converting a lead needs a complete qualification checklist (need, budget,
    authority, timeline), or only a confirmation when parts are missing."""
    check_is_admin(actor)
    ConversionPolicy.objects.get_or_create(pk=1)
    policy = ConversionPolicy.objects.select_for_update().get(pk=1)
    policy.require_complete_qualification = bool(require_complete_qualification)
    policy.save(update_fields=["require_complete_qualification"])
    return policy
