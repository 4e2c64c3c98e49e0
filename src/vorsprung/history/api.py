"""The change history over HTTP: ``GET /{type}/{id}/history`` on each record's router."""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from ninja import Query, Router, Schema
from pydantic import Field

from vorsprung.core.api.schemas import PROBLEMS, Id, Limit, page_body
from vorsprung.core.doors import Door
from vorsprung.core.records import record_kind
from vorsprung.history.choices import Action
from vorsprung.history.presenters import note_text
from vorsprung.history.selectors import history_exists, history_page


class HistoryEntryOut(Schema):
    id: int
    action: Action
    field: str = Field(description="The changed field; empty for a creation or deletion.")
    old_value: str = Field(
        description="The value before, as stored: ids for related records, choice values, "
        "ISO 8601 dates; for a deletion, all the record's values as a JSON object."
    )
    new_value: str
    old_label: str = Field(description="How the old value read then (names of related records).")
    new_label: str
    note: str = Field(description="Why, in the reader's language where the application wrote it.")
    actor_id: int | None
    door: Door = Field(description="Through which door the change came in.")
    token_prefix: str = Field(description="The API token's prefix, for changes made with one.")
    at: datetime.datetime

    @staticmethod
    def resolve_note(obj) -> str:
        return note_text(obj)


class HistoryPage(Schema):
    items: list[HistoryEntryOut]
    next: str | None
    next_cursor: str | None


def history_endpoint(router: Router, record_type: str, get_record) -> None:
    """GET /{id}/history on ``router``: the record's change history, newest first. An
    administrator also reads the history of a record that was deleted."""

    @router.get(
        "/{int:id}/history",
        response={200: HistoryPage, **PROBLEMS},
        operation_id=f"{record_type}_history",
        summary=f"Change history of a {record_type}, newest first",
    )
    def record_history(
        request,
        id: Id,
        limit: Limit = 50,
        cursor: str | None = Query(None, max_length=200),
    ):
        try:
            get_record(request.auth, id)
        except ObjectDoesNotExist:
            model = record_kind(record_type).model
            deleted = not model._base_manager.filter(pk=id).exists()
            if not (
                request.auth.is_crm_admin
                and deleted
                and history_exists(record_type=record_type, record_id=id)
            ):
                raise
        page = history_page(record_type=record_type, record_id=id, cursor=cursor, limit=limit)
        return page_body(request, page)
