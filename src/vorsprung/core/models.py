from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from vorsprung.core.dates import showable_moment
from vorsprung.core.reference import SeededName


class ShowableDateTimeField(models.DateTimeField):
    """A date and time that a user enters. Input is checked against the accepted range
    (``core.dates``), but a value stored before that check could lie so near the end of
    the calendar that converting it to local time overflows; such a value reads as the
    nearest moment every time zone can show, so the pages render it rather than fail
    (and the edit form then asks for a date in range)."""

    def from_db_value(self, value, expression, connection):
        return showable_moment(value)


class TimeStampedModel(models.Model):
    """Base for every business record: creation/update times and a version for
    optimistic concurrency (bumped on every save)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version", "updated_at"}
        super().save(*args, **kwargs)


class OwnedRecord(TimeStampedModel):
    """A business record with an owner; record visibility is decided by the owner."""

    owner = models.ForeignKey(
        "accounts.User",
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_%(class)ss",
    )

    class Meta:
        abstract = True


class PostalAddress(models.Model):
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("state or region"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True, db_index=True)

    class Meta:
        abstract = True


class PickListEntry(SeededName):
    """One entry of an admin-kept pick list (a reason offered in a dialog). The record
    keeps the label as text, so renaming or retiring an entry rewrites no history. Entries
    seeded at setup read in the reader's language until renamed (``core.reference``)."""

    name_field = "label"

    label = models.CharField(_("label"), max_length=255)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.shown_name
