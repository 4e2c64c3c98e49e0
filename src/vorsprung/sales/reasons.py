"""Writes for the lost reasons offered when an opportunity is closed lost (administrators
only). Opportunities keep the reason's label as text, so renaming or retiring a reason
rewrites no opportunity and no history."""

from django.db import transaction

from vorsprung.accounts.permissions import check_is_admin
from vorsprung.core.picklists import picklist_entry_create, picklist_entry_update
from vorsprung.sales.models import LostReason


@transaction.atomic
def lost_reason_create(*, actor, label: str) -> LostReason:
    """Offer a new reason, at the end of the offered ones. Refuses an empty label and a
    label the list has already (in any letter case, retired reasons included)."""
    check_is_admin(actor)
    return picklist_entry_create(LostReason, label=label)


@transaction.atomic
def lost_reason_update(
    *,
    actor,
    reason: LostReason,
    label: str | None = None,
    position: int | None = None,
    is_active: bool | None = None,
) -> LostReason:
    """Rename a reason, move it to ``position`` (its place in the list, from 0), or retire
    (``is_active=False``) or offer it again. Refuses the labels ``lost_reason_create``
    refuses."""
    check_is_admin(actor)
    return picklist_entry_update(reason, label=label, position=position, is_active=is_active)


def lost_reason_retire(*, actor, reason: LostReason) -> LostReason:
    """Stop offering a reason; opportunities lost for it keep it."""
    return lost_reason_update(actor=actor, reason=reason, is_active=False)
