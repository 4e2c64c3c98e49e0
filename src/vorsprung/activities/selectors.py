"""Reads for activities and timelines, with record visibility applied."""

from dataclasses import dataclass
from datetime import datetime
from itertools import chain

from django.db.models import Q, QuerySet

from vorsprung.accounts.visibility import owner_filter
from vorsprung.activities.choices import ActivityKind, RecordType
from vorsprung.activities.models import Activity, StateChange


def activity_list(*, user, filters: dict | None = None) -> QuerySet[Activity]:
    """Activities the user may see: their owner is visible, or a record they are
    linked to is."""
    filters = filters or {}
    visible = (
        owner_filter(user)
        | owner_filter(user, "lead__owner")
        | owner_filter(user, "contact__owner")
        | owner_filter(user, "organization__owner")
        | owner_filter(user, "opportunity__owner")
    )
    activities = Activity.objects.select_related("owner").filter(visible)
    for link in ("lead", "contact", "organization", "opportunity", "kind", "done"):
        if filters.get(link) is not None:
            activities = activities.filter(**{link: filters[link]})
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


def timeline(*, record_type: str, record_id: int, limit: int = 50) -> list[TimelineEntry]:
    """Activities and history of one record, newest first. The caller has already
    checked that the user may see the record."""
    link = {
        RecordType.LEAD: "lead",
        RecordType.CONTACT: "contact",
        RecordType.ORGANIZATION: "organization",
        RecordType.OPPORTUNITY: "opportunity",
    }[record_type]
    activities = Activity.objects.filter(**{f"{link}_id": record_id}).select_related("owner")[
        :limit
    ]
    changes = StateChange.objects.filter(
        Q(record_type=record_type, record_id=record_id)
    ).select_related("actor")[:limit]
    entries = chain(
        (TimelineEntry(at=a.occurred_at, activity=a) for a in activities),
        (TimelineEntry(at=c.changed_at, change=c) for c in changes),
    )
    return sorted(entries, key=lambda e: e.at, reverse=True)[:limit]
