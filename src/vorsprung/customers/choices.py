from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture")
    AUTOMOTIVE = "automotive", _("Automotive")
    BANKING = "banking", _("Banking and financial services")
    CHEMICALS = "chemicals", _("Chemicals")
    CONSTRUCTION = "construction", _("Construction")
    CONSULTING = "consulting", _("Consulting")
    EDUCATION = "education", _("Education")
    ENERGY = "energy", _("Energy and utilities")
    ENGINEERING = "engineering", _("Engineering")
    ENTERTAINMENT = "entertainment", _("Media and entertainment")
    FOOD = "food", _("Food and beverage")
    GOVERNMENT = "government", _("Government and public sector")
    HEALTHCARE = "healthcare", _("Healthcare")
    HOSPITALITY = "hospitality", _("Hospitality and travel")
    INSURANCE = "insurance", _("Insurance")
    LOGISTICS = "logistics", _("Transport and logistics")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    MARITIME = "maritime", _("Maritime and shipping")
    NONPROFIT = "nonprofit", _("Non-profit")
    OIL_GAS = "oil_gas", _("Oil and gas")
    PHARMA = "pharma", _("Pharmaceuticals and life sciences")
    REAL_ESTATE = "real_estate", _("Real estate")
    RETAIL = "retail", _("Retail and wholesale")
    SOFTWARE = "software", _("Software and IT services")
    TELECOM = "telecom", _("Telecommunications")
    OTHER = "other", _("Other")


class SizeBand(models.TextChoices):
    XS = "1-10", _("1–10 employees")
    S = "11-50", _("11–50 employees")
    M = "51-200", _("51–200 employees")
    L = "201-1000", _("201–1,000 employees")
    XL = "1001-5000", _("1,001–5,000 employees")
    XXL = "5000+", _("5,000+ employees")


SIZE_BAND_LIMITS = [
    (10, SizeBand.XS),
    (50, SizeBand.S),
    (200, SizeBand.M),
    (1000, SizeBand.L),
    (5000, SizeBand.XL),
]


def size_band_for(employees: int | None) -> str:
    """The size band an employee count falls into, or "" when unknown."""
    if employees is None:
        return ""
    for limit, band in SIZE_BAND_LIMITS:
        if employees <= limit:
            return band
    return SizeBand.XXL


class Lifecycle(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    CUSTOMER = "customer", _("Customer")
    PARTNER = "partner", _("Partner")
    FORMER_CUSTOMER = "former_customer", _("Former customer")


LIFECYCLE_COLOURS = {
    Lifecycle.PROSPECT: "secondary",
    Lifecycle.CUSTOMER: "success",
    Lifecycle.PARTNER: "info",
    Lifecycle.FORMER_CUSTOMER: "warning",
}


class Salutation(models.TextChoices):
    MR = "mr", _("Mr.")
    MS = "ms", _("Ms.")
    MX = "mx", _("Mx.")
    DR = "dr", _("Dr.")
    PROF = "prof", _("Prof.")
