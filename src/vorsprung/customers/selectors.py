"""Reads for organizations and contacts, with record visibility applied."""

from django.db.models import QuerySet

from vorsprung.accounts.visibility import visible_to
from vorsprung.core.filters import (
    apply_common_filters,
    as_list,
    normalise_filter_values,
    search,
)
from vorsprung.customers.models import Contact, Organization


def organization_list(*, user, filters: dict | None = None) -> QuerySet[Organization]:
    """Filters: lifecycle, industry, country, owner (lists), team, created/updated
    ranges, q (name or domain)."""
    filters = normalise_filter_values(filters or {})
    organizations = visible_to(Organization.objects.select_related("owner"), user)
    for name, lookup in (
        ("lifecycle", "lifecycle__in"),
        ("industry", "industry__in"),
        ("country", "country__in"),
        ("owner", "owner_id__in"),
    ):
        if filters.get(name):
            organizations = organizations.filter(**{lookup: as_list(filters[name])})
    organizations = apply_common_filters(organizations, filters)
    if filters.get("q"):
        organizations = search(organizations, filters["q"], ("name", "domain"), ("phone",))
    return organizations


def organization_get(*, user, id: int) -> Organization:
    return visible_to(Organization.objects.select_related("owner"), user).get(pk=id)


def contact_list(*, user, filters: dict | None = None) -> QuerySet[Contact]:
    """Filters: organization, owner, country (lists), team, is_decision_maker,
    created/updated ranges, q (name, e-mail or phone)."""
    filters = normalise_filter_values(filters or {})
    contacts = visible_to(Contact.objects.select_related("owner", "organization"), user)
    if filters.get("organization"):
        contacts = contacts.filter(organization_id__in=as_list(filters["organization"]))
    for name, lookup in (("owner", "owner_id__in"), ("country", "country__in")):
        if filters.get(name):
            contacts = contacts.filter(**{lookup: as_list(filters[name])})
    if filters.get("is_decision_maker") is not None:
        contacts = contacts.filter(is_decision_maker=filters["is_decision_maker"])
    contacts = apply_common_filters(contacts, filters)
    if filters.get("q"):
        contacts = search(
            contacts, filters["q"], ("last_name", "first_name", "email"), ("phone", "mobile")
        )
    return contacts


def contact_get(*, user, id: int) -> Contact:
    return visible_to(Contact.objects.select_related("owner", "organization"), user).get(pk=id)
