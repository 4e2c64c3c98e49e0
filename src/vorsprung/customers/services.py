"""Writes for organizations and contacts. Each function is one transaction."""

from django.utils.translation import gettext as _

from vorsprung.accounts.permissions import check_may_delete
from vorsprung.activities.services import activity_record_cascade
from vorsprung.core.errors import Conflict, ValidationError
from vorsprung.core.normalisers import company_key
from vorsprung.core.transactions import service
from vorsprung.core.validation import apply_fields, check_seen, check_version, fill_empty_fields
from vorsprung.customers.choices import Lifecycle, size_band_for
from vorsprung.customers.models import Contact, Organization
from vorsprung.history.services import (
    SystemNote,
    history_record_changes,
    history_record_created,
    history_record_deleted,
    history_snapshot,
)

ORGANIZATION_FIELDS = frozenset(
    {
        "name",
        "website",
        "domain",
        "industry",
        "size_band",
        "employee_count",
        "annual_revenue",
        "annual_revenue_currency",
        "phone",
        "street",
        "postal_code",
        "city",
        "region",
        "country",
        "description",
        "owner",
    }
)

CONTACT_FIELDS = frozenset(
    {
        "salutation",
        "first_name",
        "last_name",
        "email",
        "phone",
        "mobile",
        "job_title",
        "organization",
        "is_decision_maker",
        "do_not_call",
        "email_opt_out",
        "street",
        "postal_code",
        "city",
        "region",
        "country",
        "description",
        "owner",
    }
)


def _derive_organization_fields(organization: Organization, data: dict) -> None:
    organization.name_key = company_key(organization.name)
    derive_size_band(organization, data)


def derive_size_band(record, data: dict) -> None:
    """The size band follows the employee count, unless the caller set the band too."""
    if record.employee_count is None or data.get("size_band"):
        return
    if "employee_count" in data or not record.size_band:
        record.size_band = size_band_for(record.employee_count)


def _contact_region(contact: Contact) -> str:
    """The country that national phone numbers of this contact are read in."""
    if contact.country:
        return contact.country.code
    organization = contact.organization
    return organization.country.code if organization is not None and organization.country else ""


@service
def organization_create(*, actor, lifecycle: str = Lifecycle.PROSPECT, **data) -> Organization:
    """Create an organization (as a prospect unless told otherwise). Owner defaults to the actor."""
    data.setdefault("owner", actor)
    organization = Organization(lifecycle=lifecycle)
    apply_fields(
        organization, data, editable=ORGANIZATION_FIELDS, exclude_from_model_validation={"name_key"}
    )
    _derive_organization_fields(organization, data)
    organization.save()
    history_record_created(actor=actor, record=organization)
    return organization


@service
def organization_update(
    *,
    actor,
    organization: Organization,
    expected_version: int | None = None,
    seen: dict[str, str] | None = None,
    **data,
) -> Organization:
    """Change an organization's fields; the lifecycle changes through
    ``organization_change_lifecycle``. ``expected_version`` and ``seen`` refuse a change
    someone else made meanwhile, as in ``lead_update``."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    check_version(organization, expected_version)
    check_seen(organization, seen)
    before = history_snapshot(organization)
    apply_fields(
        organization,
        data,
        editable=ORGANIZATION_FIELDS,
        region=organization.country.code or "",
        exclude_from_model_validation={"name_key"},
    )
    _derive_organization_fields(organization, data)
    organization.save()
    history_record_changes(actor=actor, record=organization, before=before)
    return organization


@service
def organization_change_lifecycle(
    *,
    actor,
    organization: Organization,
    lifecycle: str,
    note: str | SystemNote = "",
    expected_version: int | None = None,
) -> Organization:
    """Move an organization to another lifecycle stage (prospect, customer, partner,
    former customer), recording the change with ``note``. Anyone who may see the
    organization may move it. Refuses an unknown stage and a stale ``expected_version``;
    moving to the stage it is in changes nothing."""
    if lifecycle not in Lifecycle.values:
        raise ValidationError(
            {
                "lifecycle": [
                    _("Choose one of: %(values)s.") % {"values": ", ".join(Lifecycle.values)}
                ]
            }
        )
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    check_version(organization, expected_version)
    if organization.lifecycle == lifecycle:
        return organization
    before = history_snapshot(organization)
    organization.lifecycle = lifecycle
    organization.save(update_fields=["lifecycle"])
    history_record_changes(actor=actor, record=organization, before=before, note=note)
    return organization


def _check_contact(contact: Contact) -> None:
    if not contact.last_name and not contact.email:
        raise ValidationError(
            {"last_name": [_("A contact needs a last name or an e-mail address.")]}
        )


@service
def contact_create(*, actor, **data) -> Contact:
    """Create a contact; the owner defaults to the actor."""
    data.setdefault("owner", actor)
    contact = Contact(organization=data.get("organization"))
    apply_fields(contact, data, editable=CONTACT_FIELDS, region=_contact_region(contact))
    _check_contact(contact)
    contact.save()
    history_record_created(actor=actor, record=contact)
    return contact


@service
def contact_update(
    *,
    actor,
    contact: Contact,
    expected_version: int | None = None,
    seen: dict[str, str] | None = None,
    **data,
) -> Contact:
    """Change a contact's fields. ``expected_version`` and ``seen`` refuse a change
    someone else made meanwhile, as in ``lead_update``."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    check_version(contact, expected_version)
    check_seen(contact, seen)
    before = history_snapshot(contact)
    if "organization" in data:
        contact.organization = data["organization"]
    apply_fields(contact, data, editable=CONTACT_FIELDS, region=_contact_region(contact))
    _check_contact(contact)
    contact.save()
    history_record_changes(actor=actor, record=contact, before=before)
    return contact


@service
def organization_delete(*, actor, organization: Organization) -> None:
    """Delete an organization without opportunities, and its activities. Its contacts
    stay, without an organization; the history keeps what it was."""
    check_may_delete(actor)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.opportunities.exists():
        raise Conflict(
            _("This organization has opportunities; close or move them before deleting it."),
            code="has_opportunities",
        )
    activity_record_cascade(actor=actor, organization=organization)
    history_record_deleted(actor=actor, record=organization)
    organization.delete()


@service
def contact_delete(*, actor, contact: Contact) -> None:
    """Delete a contact; its activities go with it, opportunities lose it as a contact.
    The history keeps what they were."""
    check_may_delete(actor)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    activity_record_cascade(actor=actor, contact=contact)
    history_record_deleted(actor=actor, record=contact)
    contact.delete()


@service
def organization_fill_empty(*, actor, organization: Organization, values: dict) -> Organization:
    """Fill the organization's empty fields from ``values`` (a converted lead's company
    data); never overwrite what is there. Locks the row; records what was filled."""
    organization = Organization.objects.select_for_update(no_key=True).get(pk=organization.pk)
    before = history_snapshot(organization)
    if fill_empty_fields(organization, values):
        _derive_organization_fields(organization, values)
        organization.save()
        history_record_changes(actor=actor, record=organization, before=before)
    return organization


@service
def contact_fill_empty(
    *, actor, contact: Contact, values: dict, organization: Organization | None = None
) -> Contact:
    """Fill the contact's empty fields from ``values`` (a converted lead's person data),
    give it ``organization`` when it has none, and make it a decision maker when
    ``values`` says so; never overwrite what is there. Locks the row; records the
    changes."""
    contact = Contact.objects.select_for_update(no_key=True).get(pk=contact.pk)
    before = history_snapshot(contact)
    filled = fill_empty_fields(contact, values)
    if organization is not None and contact.organization_id is None:
        contact.organization = organization
        filled.append("organization")
    if values.get("is_decision_maker") and not contact.is_decision_maker:
        contact.is_decision_maker = True
        filled.append("is_decision_maker")
    if filled:
        contact.save()
        history_record_changes(actor=actor, record=contact, before=before)
    return contact
