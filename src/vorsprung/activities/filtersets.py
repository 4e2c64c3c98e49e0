"""The activity list's filters and orderings, declared once for the API and the selector."""

from django.utils.translation import gettext_lazy as _

from vorsprung.activities.choices import ActivityKind
from vorsprung.activities.models import Activity
from vorsprung.core.filtersets import (
    ChoicesFilter,
    FlagFilter,
    IdsFilter,
    ListFilterSet,
    MomentFilter,
    OwnerFilter,
)


class ActivityFilterSet(ListFilterSet):
    orderings = {
        "-occurred_at": _("Latest first"),
        "occurred_at": _("Earliest first"),
        "-created_at": _("Newest first"),
        "created_at": _("Oldest first"),
    }

    kind = ChoicesFilter("kind", choices=ActivityKind, label=_("Kind"))
    done = FlagFilter("done", label=_("Done"))
    owner = OwnerFilter(label=_("Owner"))
    lead = IdsFilter("lead_id", label=_("Lead"))
    contact = IdsFilter("contact_id", label=_("Contact"))
    organization = IdsFilter("organization_id", label=_("Organization"))
    opportunity = IdsFilter("opportunity_id", label=_("Opportunity"))
    due_before = MomentFilter("due_at", end=True, label=_("Due before"))
    occurred_after = MomentFilter("occurred_at", end=False, label=_("Occurred from"))
    occurred_before = MomentFilter("occurred_at", end=True, label=_("Occurred until"))

    class Meta:
        model = Activity
        fields: list[str] = []
