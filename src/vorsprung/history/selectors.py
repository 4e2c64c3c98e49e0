"""Reads of the change history. Callers check first that the user may see the record
(through the record's own selectors); the history itself carries no owner."""

from django.db.models import Q, QuerySet

from vorsprung.accounts.permissions import is_admin
from vorsprung.core.pagination import Page, keyset_page
from vorsprung.core.records import record_kinds
from vorsprung.history.models import Change


def history_visible(*, user) -> QuerySet[Change]:
    """Every entry about a record the user may see (read through each record type's own
    selectors); an administrator sees all, those of deleted records included."""
    if is_admin(user):
        return Change.objects.all()
    visible = Q(pk__in=[])
    for kind in record_kinds():
        visible |= Q(record_type=kind.type, record_id__in=kind.list(user=user).values("pk"))
    return Change.objects.filter(visible)


def history_list(*, record_type: str, record_id: int) -> QuerySet[Change]:
    """The entries of one record, newest first."""
    return Change.objects.filter(record_type=record_type, record_id=record_id).order_by(
        "-at", "-id"
    )


def history_page(
    *, record_type: str, record_id: int, cursor: str | None = None, limit: int = 50
) -> Page:
    """One page of a record's entries, newest first; a bad cursor raises ValidationError."""
    return keyset_page(
        history_list(record_type=record_type, record_id=record_id).select_related("actor"),
        ordering="-at",
        cursor=cursor,
        limit=limit,
    )


def history_exists(*, record_type: str, record_id: int) -> bool:
    return Change.objects.filter(record_type=record_type, record_id=record_id).exists()
