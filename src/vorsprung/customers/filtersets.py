"""The organization and contact lists' filters and orderings, declared once for their
pages, the API and the selectors."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from vorsprung.accounts.filtersets import owner_choices
from vorsprung.core.filtersets import (
    ChoicesFilter,
    FlagFilter,
    IdsFilter,
    OwnerFilter,
    RecordFilterSet,
    SearchFilter,
    TextsFilter,
)
from vorsprung.customers.choices import Industry, Lifecycle
from vorsprung.customers.models import Contact, Organization

CREATED_AND_CHANGED = {
    "-created_at": _("Newest first"),
    "created_at": _("Oldest first"),
    "-updated_at": _("Recently changed"),
    "updated_at": _("Least recently changed"),
}
OWNER_ORDER = ("first_name", "last_name", "username")


def _country_choices() -> list[tuple[str, str]]:
    return [("", _("Any country")), *countries]


def _country_filter() -> TextsFilter:
    return TextsFilter(
        "country", upper=True, max_length=60, label=_("Country"), choices=_country_choices
    )


def _owner_filter() -> OwnerFilter:
    return OwnerFilter(
        label=_("Owner"), page_choices=owner_choices(_("Any owner"), order=OWNER_ORDER)
    )


class OrganizationFilterSet(RecordFilterSet):
    orderings = {"name": _("Name (A–Z)"), "-name": _("Name (Z–A)"), **CREATED_AND_CHANGED}

    q = SearchFilter(hint=_("Name, website or phone"))
    lifecycle = ChoicesFilter(
        "lifecycle", choices=Lifecycle, empty_label=_("Any lifecycle"), label=_("Lifecycle")
    )
    industry = ChoicesFilter(
        "industry", choices=Industry, empty_label=_("Any industry"), label=_("Industry")
    )
    country = _country_filter()
    owner = _owner_filter()

    class Meta:
        model = Organization
        fields: list[str] = []


class ContactFilterSet(RecordFilterSet):
    orderings = {
        "last_name": _("Last name (A–Z)"),
        "-last_name": _("Last name (Z–A)"),
        **CREATED_AND_CHANGED,
    }

    q = SearchFilter(hint=_("Name, e-mail or phone"))
    country = _country_filter()
    owner = _owner_filter()
    is_decision_maker = FlagFilter(
        "is_decision_maker",
        label=_("Decision maker"),
        widget=forms.Select(
            choices=[("", _("Anyone")), ("yes", _("Decision makers")), ("no", _("Others"))]
        ),
    )
    # Set by the "all contacts" link of an organization; shown as a removable chip.
    organization = IdsFilter(
        "organization_id", label=_("Organization"), widget=forms.MultipleHiddenInput
    )

    class Meta:
        model = Contact
        fields: list[str] = []
