"""Reads for activities and timelines, with record visibility applied."""

from dataclasses import dataclass
from datetime import datetime
from itertools import chain

from django.db.models import QuerySet

from vorsprung.accounts.visibility import owner_filter
from vorsprung.activities.choices import ActivityKind, RecordType
from vorsprung.activities.models import Activity, StateChange
from vorsprung.core.filters import as_list


def activity_list(*, user, filters: dict | None = None) -> QuerySet[Activity]:
    """Activities the user may see: their owner is visible, or a record they are
    linked to is. Filters: kind, owner (lists), done, lead, contact, organization,
    opportunity, due_before, occurred_after/before."""
    filters = filters or {}
    visible = (
        owner_filter(user)
        | owner_filter(user, "lead__owner")
        | owner_filter(user, "contact__owner")
        | owner_filter(user, "organization__owner")
        | owner_filter(user, "opportunity__owner")
    )
    activities = Activity.objects.select_related("owner").filter(visible)
    for name, lookup in (("kind", "kind__in"), ("owner", "owner_id__in")):
        if filters.get(name):
            activities = activities.filter(**{lookup: as_list(filters[name])})
    for name, lookup in (
        ("lead", "lead_id"),
        ("contact", "contact_id"),
        ("organization", "organization_id"),
        ("opportunity", "opportunity_id"),
        ("done", "done"),
        ("due_before", "due_at__lt"),
        ("occurred_after", "occurred_at__gte"),
        ("occurred_before", "occurred_at__lt"),
    ):
        if filters.get(name) is not None:
            activities = activities.filter(**{lookup: filters[name]})
    return activities


def task_list(*, user) -> QuerySet[Activity]:
    """The user's open tasks, overdue first."""
    return Activity.objects.filter(owner=user, kind=ActivityKind.TASK, done=False).order_by(
        "due_at", "id"
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    activity: Activity | None = None
    change: StateChange | None = None


TIMELINE_LINKS = {
    RecordType.LEAD: "lead",
    RecordType.CONTACT: "contact",
    RecordType.ORGANIZATION: "organization",
    RecordType.OPPORTUNITY: "opportunity",
}


def timeline(
    *, record_type: str, record_id: int, limit: int = 50, before: datetime | None = None
) -> list[TimelineEntry]:
    """Activities and history of one record, newest first, at most ``limit`` entries
    older than ``before``. The caller has already checked that the user may see the
    record."""
    link = TIMELINE_LINKS[record_type]
    activities = Activity.objects.filter(**{f"{link}_id": record_id})
    changes = StateChange.objects.filter(record_type=record_type, record_id=record_id)
    if before is not None:
        activities = activities.filter(occurred_at__lt=before)
        changes = changes.filter(changed_at__lt=before)
    entries = chain(
        (TimelineEntry(at=a.occurred_at, activity=a) for a in activities[:limit]),
        (TimelineEntry(at=c.changed_at, change=c) for c in changes[:limit]),
    )
    return sorted(entries, key=lambda e: e.at, reverse=True)[:limit]
