from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vorsprung.core.models import OwnedRecord, PostalAddress
from vorsprung.customers.choices import Industry, Lifecycle, Salutation, SizeBand


class Organization(OwnedRecord, PostalAddress):
    """An account: a company we sell to, partner with or might one day."""

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(_("matching key"), max_length=200, editable=False, db_index=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    domain = models.CharField(_("domain"), max_length=253, blank=True, db_index=True)
    industry = models.CharField(_("industry"), max_length=30, choices=Industry.choices, blank=True)
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    employee_count = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    annual_revenue = models.DecimalField(
        _("annual revenue"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    annual_revenue_currency = models.CharField(_("revenue currency"), max_length=3, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    lifecycle = models.CharField(
        _("lifecycle"), max_length=20, choices=Lifecycle.choices, default=Lifecycle.PROSPECT
    )
    description = models.TextField(_("description"), blank=True)

    history_state_field = "lifecycle"
    # Follows the name.
    history_ignored = ("name_key",)

    # Its words for the search index (vorsprung.search), written with every save. Null
    # only so that adding the column does not rebuild a large SQLite table.
    search_document = models.TextField(  # noqa: DJ001
        _("search document"), null=True, editable=False
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [
            models.Index(fields=["owner", "lifecycle"]),
            models.Index(fields=["lifecycle", "id"]),
            models.Index(fields=["name", "id"]),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(OwnedRecord, PostalAddress):
    """A person we deal with, usually at an organization."""

    salutation = models.CharField(
        _("salutation"), max_length=10, choices=Salutation.choices, blank=True
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, db_index=True)
    mobile = models.CharField(_("mobile"), max_length=32, blank=True, db_index=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
    )
    is_decision_maker = models.BooleanField(_("decision maker"), default=False)
    do_not_call = models.BooleanField(_("do not call"), default=False)
    email_opt_out = models.BooleanField(_("e-mail opt-out"), default=False)
    description = models.TextField(_("description"), blank=True)

    # Its words for the search index (vorsprung.search), written with every save. Null
    # only so that adding the column does not rebuild a large SQLite table.
    search_document = models.TextField(  # noqa: DJ001
        _("search document"), null=True, editable=False
    )

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"]),
            models.Index(fields=["owner", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(last_name="") | ~Q(email=""), name="contact_has_name_or_email"
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)
