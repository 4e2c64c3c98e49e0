from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vorsprung.activities.choices import (
    ActivityKind,
    Direction,
    Outcome,
    RecordType,
    TrackedField,
)
from vorsprung.core.models import OwnedRecord


class Activity(OwnedRecord):
    """One interaction or task, on the timelines of every record it is linked to."""

    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, blank=True
    )
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("details"), blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    lead = models.ForeignKey(
        "leads.Lead", on_delete=models.CASCADE, null=True, blank=True, related_name="activities"
    )
    contact = models.ForeignKey(
        "customers.Contact",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
    )
    organization = models.ForeignKey(
        "customers.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
    )
    opportunity = models.ForeignKey(
        "sales.Opportunity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["lead", "-occurred_at", "-id"], name="activity_lead_timeline"),
            models.Index(
                fields=["contact", "-occurred_at", "-id"], name="activity_contact_timeline"
            ),
            models.Index(
                fields=["organization", "-occurred_at", "-id"], name="activity_org_timeline"
            ),
            models.Index(
                fields=["opportunity", "-occurred_at", "-id"], name="activity_opp_timeline"
            ),
            models.Index(fields=["owner", "done", "due_at"], name="activity_tasks"),
            models.Index(fields=["-occurred_at", "-id"], name="activity_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lead__isnull=False)
                | Q(contact__isnull=False)
                | Q(organization__isnull=False)
                | Q(opportunity__isnull=False),
                name="activity_linked_to_a_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class StateChange(models.Model):
    """History: one status, stage or lifecycle change of one record, by whom and when.
    Written in the same transaction as the change."""

    record_type = models.CharField(_("record type"), max_length=20, choices=RecordType.choices)
    record_id = models.BigIntegerField(_("record id"))
    field = models.CharField(_("field"), max_length=20, choices=TrackedField.choices)
    from_value = models.CharField(_("from"), max_length=100, blank=True)
    to_value = models.CharField(_("to"), max_length=100)
    from_label = models.CharField(_("from (label)"), max_length=200, blank=True)
    to_label = models.CharField(_("to (label)"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        indexes = [
            models.Index(
                fields=["record_type", "record_id", "-changed_at"], name="history_of_record"
            ),
            models.Index(fields=["record_type", "field", "to_value", "changed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id}: {self.from_value} → {self.to_value}"
