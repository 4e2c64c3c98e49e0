from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vorsprung.core.models import OwnedRecord, PickListEntry
from vorsprung.core.reference import SeededName, shown_reason
from vorsprung.sales.choices import ContactRole, ForecastCategory
from vorsprung.sales.seeds import LOST_REASONS, PIPELINE_NAMES, STAGE_NAMES


class Pipeline(SeededName):
    name = models.CharField(_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(_("default pipeline"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("pipeline")
        verbose_name_plural = _("pipelines")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_pipeline"
            )
        ]

    seeded_names = PIPELINE_NAMES

    def __str__(self) -> str:
        return self.shown_name


class Stage(SeededName):
    pipeline = models.ForeignKey(
        Pipeline, verbose_name=_("pipeline"), on_delete=models.CASCADE, related_name="stages"
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), validators=[MaxValueValidator(100)]
    )
    forecast_category = models.CharField(
        _("forecast category"), max_length=20, choices=ForecastCategory.choices
    )
    is_won = models.BooleanField(_("won"), default=False)
    is_lost = models.BooleanField(_("lost"), default=False)

    class Meta:
        ordering = ["pipeline", "position", "id"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "name"], name="stage_name_per_pipeline"),
            models.CheckConstraint(
                condition=~(Q(is_won=True) & Q(is_lost=True)), name="stage_not_won_and_lost"
            ),
            models.CheckConstraint(condition=Q(probability__lte=100), name="stage_probability"),
        ]

    seeded_names = STAGE_NAMES

    def __str__(self) -> str:
        if self.pipeline_id:
            return f"{self.pipeline.shown_name}: {self.shown_name}"
        return self.shown_name

    @property
    def is_closed(self) -> bool:
        return self.is_won or self.is_lost


class Opportunity(OwnedRecord):
    """A potential deal, moving through the stages of one pipeline until won or lost."""

    name = models.CharField(_("name"), max_length=200)
    organization = models.ForeignKey(
        "customers.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    primary_contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("primary contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="primary_opportunities",
    )
    contacts = models.ManyToManyField(
        "customers.Contact",
        through="OpportunityContactRole",
        related_name="opportunities",
        blank=True,
    )
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3)
    pipeline = models.ForeignKey(
        Pipeline, verbose_name=_("pipeline"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="opportunities"
    )
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), validators=[MaxValueValidator(100)]
    )
    probability_is_manual = models.BooleanField(_("probability set by hand"), default=False)
    forecast_category = models.CharField(
        _("forecast category"), max_length=20, choices=ForecastCategory.choices
    )
    forecast_category_is_manual = models.BooleanField(
        _("forecast category set by hand"), default=False
    )
    expected_close_date = models.DateField(_("expected close date"), db_index=True)
    next_step = models.CharField(_("next step"), max_length=255, blank=True)
    is_closed = models.BooleanField(_("closed"), default=False, editable=False)
    is_won = models.BooleanField(_("won"), default=False, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    lost_reason = models.CharField(_("lost reason"), max_length=255, blank=True, editable=False)
    source = models.CharField(_("lead source"), max_length=30, blank=True)
    source_lead = models.ForeignKey(
        "leads.Lead",
        verbose_name=_("source lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)

    history_state_field = "stage"
    # Fields that follow the stage unless set by hand (the flag says which): an edit form
    # shows them empty while they follow, so a stage move is no change to what it edits.
    followed_fields = {
        "probability": "probability_is_manual",
        "forecast_category": "forecast_category_is_manual",
    }
    # These follow the stage.
    history_ignored = (
        "is_closed",
        "is_won",
        "closed_at",
        "probability_is_manual",
        "forecast_category_is_manual",
    )

    # Its words for the search index (vorsprung.search), written with every save. Null
    # only so that adding the column does not rebuild a large SQLite table.
    search_document = models.TextField(  # noqa: DJ001
        _("search document"), null=True, editable=False
    )

    class Meta:
        ordering = ["expected_close_date", "id"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            models.Index(fields=["stage", "is_closed"]),
            models.Index(fields=["owner", "is_closed", "expected_close_date"]),
            models.Index(fields=["pipeline", "stage", "id"]),
            models.Index(
                fields=["is_closed", "expected_close_date", "id"], name="opportunity_open_by_close"
            ),
            models.Index(fields=["expected_close_date", "id"], name="opportunity_by_close"),
            # Covers the pipeline sums (my day, the board's column totals): the database
            # reads the index alone, never the rows.
            models.Index(
                fields=[
                    "pipeline",
                    "is_closed",
                    "stage",
                    "owner",
                    "currency",
                    "amount",
                    "probability",
                    "closed_at",
                ],
                name="opportunity_pipeline_sums",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="opportunity_amount_gte_0"),
            models.CheckConstraint(
                condition=Q(probability__lte=100), name="opportunity_probability"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_lost_reason(self) -> str:
        """The lost reason as the reader reads it (a seeded reason in their language)."""
        return shown_reason(self.lost_reason, LOST_REASONS.values())

    @property
    def weighted_amount(self):
        if self.amount is None:
            return None
        return self.amount * self.probability / 100


class OpportunityContactRole(models.Model):
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="contact_roles"
    )
    contact = models.ForeignKey(
        "customers.Contact", on_delete=models.CASCADE, related_name="opportunity_roles"
    )
    role = models.CharField(_("role"), max_length=30, choices=ContactRole.choices)

    class Meta:
        verbose_name = _("contact role")
        verbose_name_plural = _("contact roles")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "contact", "role"], name="unique_contact_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} — {self.get_role_display()}"


class LostReason(PickListEntry):
    """A reason offered when an opportunity is closed lost."""

    seeded_names = LOST_REASONS

    class Meta(PickListEntry.Meta):
        verbose_name = _("lost reason")
        verbose_name_plural = _("lost reasons")
        constraints = [models.UniqueConstraint(fields=["label"], name="lost_reason_label_unique")]


class ExchangeRate(models.Model):
    """What one unit of ``currency`` is worth in the base currency
    (``settings.VORSPRUNG_DEFAULT_CURRENCY``) from ``valid_from`` on, until a later rate of
    the same currency takes over. Kept by administrators; amounts are converted only for
    showing totals, never stored converted."""

    currency = models.CharField(_("currency"), max_length=3)
    rate = models.DecimalField(_("rate to the base currency"), max_digits=20, decimal_places=8)
    valid_from = models.DateField(_("valid from"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["currency", "-valid_from"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "valid_from"], name="exchange_rate_per_currency_and_day"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.rate} ({self.valid_from.isoformat()})"
