from django.db import models
from django.utils.translation import gettext_lazy as _


class ForecastCategory(models.TextChoices):
    PIPELINE = "pipeline", _("Pipeline")
    BEST_CASE = "best_case", _("Best case")
    COMMIT = "commit", _("Commit")
    CLOSED = "closed", _("Closed")
    OMITTED = "omitted", _("Omitted")


class LeadSource(models.TextChoices):
    """Where a lead came from. An opportunity made from a lead keeps its source, so the
    list lives here, below the leads."""

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


class ContactRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", _("Decision maker")
    ECONOMIC_BUYER = "economic_buyer", _("Economic buyer")
    INFLUENCER = "influencer", _("Influencer")
    TECHNICAL_EVALUATOR = "technical_evaluator", _("Technical evaluator")
    USER = "user", _("User")


STAGE_COLOURS = {"open": "primary", "won": "success", "lost": "danger"}
