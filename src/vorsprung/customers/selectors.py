"""Reads for organizations and contacts, with record visibility applied."""

from django.db.models import QuerySet

from vorsprung.accounts.visibility import visible_to
from vorsprung.customers.filtersets import ContactFilterSet, OrganizationFilterSet
from vorsprung.customers.models import Contact, Organization
from vorsprung.search.selectors import search_filter


def organization_list(*, user, filters=None) -> QuerySet[Organization]:
    """The organizations the user may see, narrowed by ``filters`` (a dict, QueryDict or
    query string) as ``OrganizationFilterSet`` declares them; q: name, website or phone."""
    organizations, filters = OrganizationFilterSet.narrow(
        visible_to(Organization.objects.select_related("owner"), user), filters, user=user
    )
    if filters.get("q"):
        organizations = search_filter(organizations, filters["q"])
    return organizations


def organization_get(*, user, id: int) -> Organization:
    return visible_to(Organization.objects.select_related("owner"), user).get(pk=id)


def contact_list(*, user, filters=None) -> QuerySet[Contact]:
    """The contacts the user may see, narrowed by ``filters`` (a dict, QueryDict or query
    string) as ``ContactFilterSet`` declares them; q: name, e-mail or phone."""
    contacts, filters = ContactFilterSet.narrow(
        visible_to(Contact.objects.select_related("owner", "organization"), user),
        filters,
        user=user,
    )
    if filters.get("q"):
        contacts = search_filter(contacts, filters["q"])
    return contacts


def contact_get(*, user, id: int) -> Contact:
    return visible_to(Contact.objects.select_related("owner", "organization"), user).get(pk=id)
