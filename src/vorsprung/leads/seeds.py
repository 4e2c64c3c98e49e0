"""The disqualification reasons setup creates (migration 0007), by stable key, with the
English labels they are seeded with; pages show them translated until renamed
(``core.reference``)."""

from django.utils.translation import gettext_noop

DISQUALIFY_REASONS = {
    "no_budget": gettext_noop("No budget"),
    "no_need": gettext_noop("No need"),
    "not_decision_maker": gettext_noop("Not a decision maker"),
    "bad_timing": gettext_noop("Bad timing"),
    "competitor": gettext_noop("Went with a competitor"),
    "unreachable": gettext_noop("Could not be reached"),
    "duplicate": gettext_noop("Duplicate"),
    "spam": gettext_noop("Spam or fake"),
    "other": gettext_noop("Other"),
}
