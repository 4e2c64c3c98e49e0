from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vorsprung.activities.choices import ActivityKind, Direction, Outcome
from vorsprung.core.models import OwnedRecord, ShowableDateTimeField


class Activity(OwnedRecord):
    """One interaction or task, on the timelines of every record it is linked to."""

    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, blank=True
    )
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("details"), blank=True)
    occurred_at = ShowableDateTimeField(_("occurred at"), default=timezone.now)
    due_at = ShowableDateTimeField(_("due at"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=True)
    done_at = ShowableDateTimeField(_("done at"), null=True, blank=True)
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

    # Follows ``done``; its own entry would say the same twice.
    history_ignored = ("done_at",)

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
