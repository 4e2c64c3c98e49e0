"""The reference data setup creates (migrations 0002 and 0006), by stable key, with the
English names it is seeded with; pages show them translated until renamed
(``core.reference``)."""

from django.utils.translation import gettext_noop

PIPELINE_NAMES = {"sales": gettext_noop("Sales")}

STAGE_NAMES = {
    "qualification": gettext_noop("Qualification"),
    "needs_analysis": gettext_noop("Needs analysis"),
    "proposal": gettext_noop("Proposal"),
    "negotiation": gettext_noop("Negotiation"),
    "closed_won": gettext_noop("Closed won"),
    "closed_lost": gettext_noop("Closed lost"),
}

LOST_REASONS = {
    "price": gettext_noop("Price"),
    "competitor": gettext_noop("Went with a competitor"),
    "no_decision": gettext_noop("No decision"),
    "timing": gettext_noop("Timing"),
    "missing_features": gettext_noop("Missing features"),
    "budget_cut": gettext_noop("Budget cut"),
    "other": gettext_noop("Other"),
}
