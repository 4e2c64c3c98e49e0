from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vorsprung.core.models import OwnedRecord, PickListEntry, PostalAddress, ShowableDateTimeField
from vorsprung.core.reference import shown_reason
from vorsprung.customers.choices import Industry, Salutation, SizeBand
from vorsprung.leads import qualification
from vorsprung.leads.choices import OPEN_STATUSES, LeadSource, LeadStatus
from vorsprung.leads.qualification import ChecklistItem
from vorsprung.leads.seeds import DISQUALIFY_REASONS


class Lead(OwnedRecord, PostalAddress):
    """A person, and the company they speak for, who might buy; not yet vetted."""

    # The keyset index (-created_at, -id) serves every use of a plain created_at index.
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Person
    salutation = models.CharField(
        _("salutation"), max_length=10, choices=Salutation.choices, blank=True
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, db_index=True)
    mobile = models.CharField(_("mobile"), max_length=32, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)

    # Company, as the lead told us
    company = models.CharField(_("company"), max_length=200, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    domain = models.CharField(_("domain"), max_length=253, blank=True, db_index=True)
    industry = models.CharField(_("industry"), max_length=30, choices=Industry.choices, blank=True)
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    employee_count = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    annual_revenue = models.DecimalField(
        _("annual revenue"), max_digits=16, decimal_places=2, null=True, blank=True
    )

    # Where it came from
    source = models.CharField(
        _("source"), max_length=30, choices=LeadSource.choices, default=LeadSource.OTHER
    )
    source_detail = models.CharField(_("source detail / campaign"), max_length=200, blank=True)

    # Lifecycle
    status = models.CharField(
        _("status"), max_length=20, choices=LeadStatus.choices, default=LeadStatus.NEW
    )
    disqualification_reason = models.CharField(
        _("disqualification reason"), max_length=255, blank=True
    )
    next_follow_up_at = ShowableDateTimeField(_("next follow-up"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    # Qualification: need, budget, authority, timeline
    need = models.TextField(_("need"), blank=True)
    need_confirmed = models.BooleanField(_("need confirmed"), default=False)
    budget_amount = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    budget_currency = models.CharField(_("budget currency"), max_length=3, blank=True)
    budget_confirmed = models.BooleanField(_("budget confirmed"), default=False)
    is_decision_maker = models.BooleanField(_("is the decision maker"), null=True, blank=True)
    decision_maker = models.CharField(_("who decides"), max_length=200, blank=True)
    expected_decision_date = models.DateField(_("expected decision date"), null=True, blank=True)

    # Scoring (filled by the scoring engine)
    score = models.SmallIntegerField(_("score"), null=True, blank=True, editable=False)
    conversion_probability = models.DecimalField(
        _("conversion probability"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        editable=False,
        validators=[MaxValueValidator(1)],
    )
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True, editable=False)

    # What it became
    converted_at = models.DateTimeField(_("converted at"), null=True, blank=True, editable=False)
    converted_contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("converted to contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="source_leads",
    )
    converted_organization = models.ForeignKey(
        "customers.Organization",
        verbose_name=_("converted to organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="source_leads",
    )
    converted_opportunity = models.ForeignKey(
        "sales.Opportunity",
        verbose_name=_("converted to opportunity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="source_leads",
    )

    # Extra columns that arrived with an import, kept as they came
    attributes = models.JSONField(_("extra attributes"), default=dict, blank=True)

    history_state_field = "status"
    # Derived from the website or e-mail, set by the scoring engine, or part of the
    # conversion entry.
    history_ignored = ("domain", "score", "conversion_probability", "scored_at", "converted_at")

    # Its words for the search index (vorsprung.search), written with every save. Null
    # only so that adding the column does not rebuild a large SQLite table.
    search_document = models.TextField(  # noqa: DJ001
        _("search document"), null=True, editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"]),
            models.Index(fields=["owner", "status", "-created_at"]),
            models.Index(fields=["source", "-created_at"]),
            models.Index(fields=["-created_at", "-id"], name="lead_created_keyset"),
            models.Index(fields=["last_name", "first_name"]),
            # The list sorted by company walks it, with a search term too.
            models.Index(fields=["company", "id"], name="lead_company_keyset"),
            models.Index(fields=["score"]),
            models.Index(fields=["owner", "next_follow_up_at", "id"], name="lead_follow_ups"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(last_name="") | ~Q(email=""), name="lead_has_name_or_email"
            ),
            models.CheckConstraint(condition=Q(budget_amount__gte=0), name="lead_budget_gte_0"),
        ]

    def __str__(self) -> str:
        name = self.full_name or self.email
        return f"{name} ({self.company})" if self.company else name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_converted(self) -> bool:
        return self.status == LeadStatus.CONVERTED

    @property
    def shown_disqualification_reason(self) -> str:
        """The reason as the reader reads it (a seeded reason in their language)."""
        return shown_reason(self.disqualification_reason, DISQUALIFY_REASONS.values())

    def qualification_checklist(self) -> list[ChecklistItem]:
        """Need, budget, authority, timeline — each done or missing, and why (the rules
        are in ``leads.qualification``)."""
        return qualification.checklist(self)

    @property
    def qualification_gaps(self) -> list[str]:
        """The checklist items still missing, by key, in checklist order."""
        return list(qualification.missing_reasons(self))


class DisqualifyReason(PickListEntry):
    """A reason offered when a lead is disqualified."""

    seeded_names = DISQUALIFY_REASONS

    class Meta(PickListEntry.Meta):
        verbose_name = _("disqualification reason")
        verbose_name_plural = _("disqualification reasons")
        constraints = [
            models.UniqueConstraint(fields=["label"], name="disqualify_reason_label_unique")
        ]


class ConversionPolicy(models.Model):
    """How strict conversion is; one row, kept by admins."""

    require_complete_qualification = models.BooleanField(
        _("require a complete qualification checklist to convert"),
        default=False,
        help_text=_(
            "When off, converting a lead with gaps in need, budget, authority or timeline "
            "needs an explicit confirmation; when on, it is refused."
        ),
    )

    class Meta:
        verbose_name = _("conversion policy")
        verbose_name_plural = _("conversion policy")

    def __str__(self) -> str:
        return str(_("Conversion policy"))

    @classmethod
    def current(cls) -> "ConversionPolicy":
        """The policy in force: the stored one, or the default until an administrator
        saves one (reading it writes nothing)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
