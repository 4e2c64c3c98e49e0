"""The lead list's filters and orderings, declared once: the lead page's filter form, the
API's query parameters and ``lead_list`` (so bulk actions on "every lead matching")
all read this."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vorsprung.accounts.filtersets import owner_choices
from vorsprung.core.filtersets import (
    ChoicesFilter,
    FlagFilter,
    NumberFilter,
    OwnerFilter,
    RecordFilterSet,
    SearchFilter,
    TextsFilter,
)
from vorsprung.customers.choices import Industry
from vorsprung.leads.choices import OPEN_STATUSES, LeadSource, LeadStatus
from vorsprung.leads.models import Lead

# Smallest and largest score the database holds (a small integer).
SCORE_RANGE = {"minimum": -32_768, "maximum": 32_767}


class LeadFilterSet(RecordFilterSet):
    orderings = {
        "-created_at": _("Newest first"),
        "created_at": _("Oldest first"),
        "-updated_at": _("Recently changed"),
        "updated_at": _("Least recently changed"),
        "last_name": _("Last name A–Z"),
        "-last_name": _("Last name Z–A"),
        "company": _("Company A–Z"),
        "-company": _("Company Z–A"),
    }

    q = SearchFilter(hint=_("Name, e-mail, company or phone"))
    status = ChoicesFilter(
        "status", choices=LeadStatus, label=_("Status"), widget=forms.CheckboxSelectMultiple
    )
    source = ChoicesFilter(
        "source", choices=LeadSource, empty_label=_("All sources"), label=_("Source")
    )
    owner = OwnerFilter(label=_("Owner"), page_choices=owner_choices(_("Anyone"), me=True))
    industry = ChoicesFilter(
        "industry", choices=Industry, empty_label=_("Any industry"), label=_("Industry")
    )
    country = TextsFilter("country", upper=True, max_length=60, label=_("Country"))
    is_open = FlagFilter(condition=Q(status__in=OPEN_STATUSES), label=_("Open"))
    score_min = NumberFilter("score", "gte", label=_("Score from"), **SCORE_RANGE)
    score_max = NumberFilter("score", "lte", label=_("Score to"), **SCORE_RANGE)

    class Meta:
        model = Lead
        fields: list[str] = []
