from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vorsprung.core.doors import Door
from vorsprung.core.records import RecordType
from vorsprung.history.choices import Action


class AppendOnly(Exception):
    """History entries are written once and never changed or deleted."""


class ChangeQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("history entries cannot be changed")

    def delete(self):
        raise AppendOnly("history entries cannot be deleted")


class Change(models.Model):
    """One change of one field of one record (or its creation, deletion or conversion):
    who made it, when, through which door, from which value to which. Written by the
    service that makes the change, in its transaction; never changed or deleted, and
    kept after the record itself is deleted."""

    record_type = models.CharField(_("record type"), max_length=20, choices=RecordType.choices)
    record_id = models.BigIntegerField(_("record id"))
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    field = models.CharField(_("field"), max_length=50, blank=True)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    # What the value read as when it changed: the name of an owner, an organization, a
    # stage (ids and choice values alone would not say it once renamed or deleted).
    old_label = models.CharField(_("old value (as shown)"), max_length=255, blank=True)
    new_label = models.CharField(_("new value (as shown)"), max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    # When set, ``note`` is a message of the application's own, in English, translated
    # into the reader's language when shown, with these values filled in.
    note_args = models.JSONField(_("note values"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        # A user who changed records is deactivated, never deleted: the history keeps them.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    door = models.CharField(_("through"), max_length=10, choices=Door.choices)
    token_prefix = models.CharField(_("API token"), max_length=12, blank=True)
    at = models.DateTimeField(_("changed at"), default=timezone.now)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        indexes = [
            models.Index(
                fields=["record_type", "record_id", "-at", "-id"], name="history_change_record"
            )
        ]

    def __str__(self) -> str:
        what = f" {self.field}" if self.field else ""
        return f"{self.record_type} {self.record_id}: {self.action}{what}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("history entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("history entries cannot be deleted")
