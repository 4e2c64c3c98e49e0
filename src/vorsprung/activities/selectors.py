"""Reads for activities and timelines, with record visibility applied."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from itertools import chain

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from vorsprung.accounts.visibility import owner_filter
from vorsprung.activities.choices import ActivityKind
from vorsprung.activities.filtersets import ActivityFilterSet
from vorsprung.activities.models import Activity
from vorsprung.core.errors import ValidationError
from vorsprung.core.pagination import Page, keyset_page
from vorsprung.core.records import RecordType, record_kind
from vorsprung.history.models import Change
from vorsprung.history.selectors import history_list


def activity_list(*, user, filters=None) -> QuerySet[Activity]:
    """Activities the user may see: their owner is visible, or a record they are
    linked to is; narrowed by ``filters`` (a dict, QueryDict or query string) as
    ``ActivityFilterSet`` declares them."""
    visible = (
        owner_filter(user)
        | owner_filter(user, "lead__owner")
        | owner_filter(user, "contact__owner")
        | owner_filter(user, "organization__owner")
        | owner_filter(user, "opportunity__owner")
    )
    activities = Activity.objects.select_related("owner").filter(visible)
    return ActivityFilterSet.narrow(activities, filters, user=user)[0]


def task_list(*, user) -> QuerySet[Activity]:
    """The user's open tasks, overdue first."""
    # "done IN (0)", not "NOT done": SQLite can use the (owner, done, due_at) index only
    # for the former.
    return Activity.objects.filter(owner=user, kind=ActivityKind.TASK, done__in=[False]).order_by(
        "due_at", "id"
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    activity: Activity | None = None
    change: Change | None = None


TIMELINE_LINKS = {
    RecordType.LEAD: "lead",
    RecordType.CONTACT: "contact",
    RecordType.ORGANIZATION: "organization",
    RecordType.OPPORTUNITY: "opportunity",
}


# Entries sort newest first by (time, kind, id); at the same moment an activity comes
# before a history entry. The cursor names the last entry seen in that order.
ACTIVITY_RANK, CHANGE_RANK = 1, 0


def _key(entry: TimelineEntry) -> tuple:
    if entry.activity is not None:
        return (entry.at, ACTIVITY_RANK, entry.activity.pk)
    return (entry.at, CHANGE_RANK, entry.change.pk)


def encode_timeline_cursor(entry: TimelineEntry) -> str:
    at, rank, pk = _key(entry)
    raw = json.dumps([at.isoformat(), rank, pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_timeline_cursor(cursor: str) -> tuple:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, rank, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        at = datetime.fromisoformat(at)
        if rank not in (ACTIVITY_RANK, CHANGE_RANK) or at.tzinfo is None:
            raise ValueError(rank)
        return at, rank, int(pk)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationError(
            {"cursor": [_("This cursor is not valid; start again from the first page.")]}
        ) from exc


def timeline(
    *,
    record_type: str,
    record_id: int,
    limit: int = 50,
    after: tuple | None = None,
    with_history: bool = True,
) -> list[TimelineEntry]:
    """Activities and (unless ``with_history`` is off) history of one record, newest
    first, at most ``limit`` entries after the cursor position ``after``. The caller has
    already checked that the user may see the record."""
    link = TIMELINE_LINKS[record_type]
    activities = Activity.objects.filter(**{f"{link}_id": record_id}).order_by(
        "-occurred_at", "-id"
    )
    changes = history_list(record_type=record_type, record_id=record_id)
    if after is not None:
        at, rank, pk = after
        if rank == ACTIVITY_RANK:
            activities = activities.filter(Q(occurred_at__lt=at) | Q(occurred_at=at, id__lt=pk))
            changes = changes.filter(at__lte=at)
        else:
            activities = activities.filter(occurred_at__lt=at)
            changes = changes.filter(Q(at__lt=at) | Q(at=at, id__lt=pk))
    entries = chain(
        (TimelineEntry(at=a.occurred_at, activity=a) for a in activities[:limit]),
        (TimelineEntry(at=c.at, change=c) for c in (changes[:limit] if with_history else ())),
    )
    return sorted(entries, key=_key, reverse=True)[:limit]


# --- for the web interface ----------------------------------------------------------------


def visible_record(*, user, record_type: str, pk: int):
    """The lead, contact, organization or opportunity ``pk``, read through its own app's
    selector (by way of the record registry) so that app's visibility applies. Raises
    that model's ``DoesNotExist`` when the user may not see it, and
    ``ObjectDoesNotExist`` for a record type activities do not attach to."""
    if record_type not in TIMELINE_LINKS:
        raise ObjectDoesNotExist(record_type)
    return record_kind(record_type).get(user=user, id=pk)


def timeline_with_people(
    *,
    record_type: str,
    record_id: int,
    limit: int = 50,
    after: tuple | None = None,
    with_history: bool = True,
) -> list[TimelineEntry]:
    """``timeline`` with each activity's owner and each change's actor read in one query
    each, for showing who did what."""
    entries = timeline(
        record_type=record_type,
        record_id=record_id,
        limit=limit,
        after=after,
        with_history=with_history,
    )
    prefetch_related_objects([e.activity for e in entries if e.activity is not None], "owner")
    prefetch_related_objects([e.change for e in entries if e.change is not None], "actor")
    return entries


TASK_LINKS = ("lead", "contact", "organization", "opportunity")


def task_page(*, user, cursor: str | None = None, limit: int = 100) -> Page:
    """One page of the user's open tasks, soonest due (so overdue) first, with the records
    they are linked to. A bad cursor raises ValidationError."""
    return keyset_page(
        task_list(user=user).select_related(*TASK_LINKS),
        ordering="due_at",
        cursor=cursor,
        limit=limit,
    )


def activity_with_links(*, user, id: int) -> Activity:
    """One activity the user may see, with the records it is linked to;
    ``Activity.DoesNotExist`` otherwise."""
    return activity_list(user=user).select_related(*TASK_LINKS).get(pk=id)


def activity_get(*, user, id: int) -> Activity:
    """One activity the user may see; ``Activity.DoesNotExist`` otherwise."""
    return activity_list(user=user).get(pk=id)
