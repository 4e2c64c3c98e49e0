from django.db import models
from django.utils.translation import gettext_lazy as _


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


class LeadSource(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")
    REFERRAL = "referral", _("Referral")
    PURCHASED_LIST = "purchased_list", _("Purchased list")
    PARTNER = "partner", _("Partner")
    TRADE_SHOW = "trade_show", _("Trade show / event")
    SOCIAL_MEDIA = "social_media", _("Social media")
    EMAIL_CAMPAIGN = "email_campaign", _("E-mail campaign")
    COLD_OUTREACH = "cold_outreach", _("Cold outreach")
    ADVERTISING = "advertising", _("Advertising")
    OTHER = "other", _("Other")


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
