"""Reads for organizations and contacts, with record visibility applied."""

from django.db.models import Q, QuerySet

from vorsprung.accounts.visibility import visible_to
from vorsprung.customers.models import Contact, Organization


def organization_list(*, user, filters: dict | None = None) -> QuerySet[Organization]:
    filters = filters or {}
    organizations = visible_to(Organization.objects.select_related("owner"), user)
    if filters.get("lifecycle"):
        organizations = organizations.filter(lifecycle=filters["lifecycle"])
    if filters.get("q"):
        term = filters["q"].strip()
        organizations = organizations.filter(
            Q(name__istartswith=term) | Q(domain__istartswith=term)
        )
    return organizations


def organization_get(*, user, id: int) -> Organization:
    return visible_to(Organization.objects.select_related("owner"), user).get(pk=id)


def contact_list(*, user, filters: dict | None = None) -> QuerySet[Contact]:
    filters = filters or {}
    contacts = visible_to(Contact.objects.select_related("owner", "organization"), user)
    if filters.get("organization"):
        contacts = contacts.filter(organization_id=filters["organization"])
    if filters.get("q"):
        term = filters["q"].strip()
        contacts = contacts.filter(
            Q(last_name__istartswith=term)
            | Q(first_name__istartswith=term)
            | Q(email__istartswith=term)
        )
    return contacts


def contact_get(*, user, id: int) -> Contact:
    return visible_to(Contact.objects.select_related("owner", "organization"), user).get(pk=id)
