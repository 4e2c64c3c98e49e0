from django.db import models
from django.utils.translation import gettext_lazy as _

# Where a lead came from; an opportunity made from a lead keeps it.
from vorsprung.sales.choices import LeadSource  # noqa: F401


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    WORKING = "working", _("Working")
    NURTURING = "nurturing", _("Nurturing")
    UNQUALIFIED = "unqualified", _("Unqualified")
    CONVERTED = "converted", _("Converted")


OPEN_STATUSES = (LeadStatus.NEW, LeadStatus.WORKING, LeadStatus.NURTURING)
CLOSED_STATUSES = (LeadStatus.UNQUALIFIED, LeadStatus.CONVERTED)

STATUS_COLOURS = {
    LeadStatus.NEW: "primary",
    LeadStatus.WORKING: "info",
    LeadStatus.NURTURING: "warning",
    LeadStatus.UNQUALIFIED: "secondary",
    LeadStatus.CONVERTED: "success",
}


class DisqualificationReason(models.TextChoices):
    """Common reasons offered in pick lists; the stored reason is free text."""

    NO_BUDGET = "no_budget", _("No budget")
    NO_NEED = "no_need", _("No need")
    NO_AUTHORITY = "no_authority", _("Not a decision maker")
    BAD_TIMING = "bad_timing", _("Bad timing")
    COMPETITOR = "competitor", _("Went with a competitor")
    UNREACHABLE = "unreachable", _("Could not be reached")
    DUPLICATE = "duplicate", _("Duplicate")
    SPAM = "spam", _("Spam or fake")
    OTHER = "other", _("Other")
