"""Writes for organizations and contacts. Each function is one transaction."""

from django.db import transaction
from django.utils.translation import gettext as _

from vorsprung.accounts.permissions import check_may_delete
from vorsprung.activities.choices import RecordType, TrackedField
from vorsprung.activities.history import history_record
from vorsprung.activities.models import StateChange
from vorsprung.core.errors import Conflict, ValidationError
from vorsprung.core.normalisers import company_key
from vorsprung.core.validation import apply_fields, check_version
from vorsprung.customers.choices import Lifecycle, size_band_for
from vorsprung.customers.models import Contact, Organization

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


@transaction.atomic
def organization_create(*, actor, lifecycle: str = Lifecycle.PROSPECT, **data) -> Organization:
    """Create an organization (as a prospect unless told otherwise). Owner defaults to the actor."""
    data.setdefault("owner", actor)
    organization = Organization(lifecycle=lifecycle)
    apply_fields(
        organization, data, editable=ORGANIZATION_FIELDS, exclude_from_model_validation={"name_key"}
    )
    _derive_organization_fields(organization, data)
    organization.save()
    history_record(
        actor=actor,
        record_type=RecordType.ORGANIZATION,
        record_id=organization.pk,
        field=TrackedField.LIFECYCLE,
        from_value="",
        to_value=organization.lifecycle,
        to_label=organization.get_lifecycle_display(),
    )
    return organization


@transaction.atomic
def organization_update(
    *, actor, organization: Organization, expected_version: int | None = None, **data
) -> Organization:
    """Change an organization's fields; the lifecycle changes through
    ``organization_change_lifecycle``."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    check_version(organization, expected_version)
    apply_fields(
        organization,
        data,
        editable=ORGANIZATION_FIELDS,
        region=organization.country.code or "",
        exclude_from_model_validation={"name_key"},
    )
    _derive_organization_fields(organization, data)
    organization.save()
    return organization


@transaction.atomic
def organization_change_lifecycle(
    *, actor, organization: Organization, lifecycle: str, note: str = ""
) -> Organization:
    """Move an organization to another lifecycle stage (prospect, customer, partner,
    former customer), recording the change."""
    if lifecycle not in Lifecycle.values:
        raise ValidationError(
            {
                "lifecycle": [
                    _("Choose one of: %(values)s.") % {"values": ", ".join(Lifecycle.values)}
                ]
            }
        )
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.lifecycle == lifecycle:
        return organization
    previous_value, previous_label = organization.lifecycle, organization.get_lifecycle_display()
    organization.lifecycle = lifecycle
    organization.save(update_fields=["lifecycle"])
    history_record(
        actor=actor,
        record_type=RecordType.ORGANIZATION,
        record_id=organization.pk,
        field=TrackedField.LIFECYCLE,
        from_value=previous_value,
        to_value=lifecycle,
        from_label=previous_label,
        to_label=organization.get_lifecycle_display(),
        note=note,
    )
    return organization


def _check_contact(contact: Contact) -> None:
    if not contact.last_name and not contact.email:
        raise ValidationError(
            {"last_name": [_("A contact needs a last name or an e-mail address.")]}
        )


@transaction.atomic
def contact_create(*, actor, **data) -> Contact:
    """Create a contact; the owner defaults to the actor."""
    data.setdefault("owner", actor)
    contact = Contact(organization=data.get("organization"))
    apply_fields(contact, data, editable=CONTACT_FIELDS, region=_contact_region(contact))
    _check_contact(contact)
    contact.save()
    return contact


@transaction.atomic
def contact_update(
    *, actor, contact: Contact, expected_version: int | None = None, **data
) -> Contact:
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    check_version(contact, expected_version)
    if "organization" in data:
        contact.organization = data["organization"]
    apply_fields(contact, data, editable=CONTACT_FIELDS, region=_contact_region(contact))
    _check_contact(contact)
    contact.save()
    return contact


@transaction.atomic
def organization_delete(*, actor, organization: Organization) -> None:
    """Delete an organization without opportunities, with its history. Its contacts stay,
    without an organization."""
    check_may_delete(actor)
    if organization.opportunities.exists():
        raise Conflict(
            _("This organization has opportunities; close or move them before deleting it."),
            code="has_opportunities",
        )
    StateChange.objects.filter(
        record_type=RecordType.ORGANIZATION, record_id=organization.pk
    ).delete()
    organization.delete()


def contact_delete(*, actor, contact: Contact) -> None:
    """Delete a contact; its activities go with it, opportunities lose it as a contact."""
    check_may_delete(actor)
    contact.delete()
