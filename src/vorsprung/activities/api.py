"""Activities and timelines over HTTP."""

import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from vorsprung.accounts.permissions import owner_for
from vorsprung.activities import selectors, services
from vorsprung.activities.choices import ActivityKind, Direction, Outcome
from vorsprung.activities.filtersets import ActivityFilterSet
from vorsprung.core.api.crud import Resource, register_crud
from vorsprung.core.api.schemas import (
    PROBLEMS,
    WRITE_PROBLEMS,
    Flag,
    Id,
    IsoDateTime,
    Limit,
    StrictSchema,
    expected_version,
    replace_nulls,
    resolve_by_id,
    set_etag,
    unchanged,
    versioning,
)
from vorsprung.core.records import RecordType, record_kind
from vorsprung.history.api import HistoryEntryOut, history_endpoint

router = Router(tags=["activities"])


class ActivityOut(Schema):
    id: int
    version: int
    kind: ActivityKind
    direction: str
    subject: str
    body: str
    occurred_at: datetime.datetime
    due_at: datetime.datetime | None
    done: bool
    done_at: datetime.datetime | None
    outcome: str
    owner_id: int | None
    lead_id: int | None
    contact_id: int | None
    organization_id: int | None
    opportunity_id: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ActivityPatch(StrictSchema):
    kind: ActivityKind = unchanged()
    direction: Direction | None = None
    subject: str = unchanged(min_length=1, max_length=255)
    body: str | None = Field(None, max_length=50_000)
    occurred_at: IsoDateTime = unchanged()
    due_at: IsoDateTime | None = None
    done: Flag = unchanged()
    outcome: Outcome | None = None
    owner_id: Id | None = None
    lead_id: Id | None = None
    contact_id: Id | None = None
    organization_id: Id | None = None
    opportunity_id: Id | None = None


class ActivityCreate(ActivityPatch):
    kind: ActivityKind
    subject: str = Field(..., min_length=1, max_length=255)


def activity_kwargs(request: HttpRequest, data: dict) -> dict:
    user = request.auth
    replace_nulls(data, ("direction", "body", "outcome"), "")
    for link in services.LINKS:
        if f"{link}_id" in data:
            visible = record_kind(link).list(user=user)
            data[link] = resolve_by_id(visible, data.pop(f"{link}_id"), f"{link}_id")
    if "owner_id" in data:
        data["owner"] = owner_for(user, data.pop("owner_id"))
    return data


register_crud(
    router,
    Resource(
        name="activity",
        out=ActivityOut,
        filterset=ActivityFilterSet,
        list_selector=lambda user, f: selectors.activity_list(user=user, filters=f),
        get_selector=lambda user, id: selectors.activity_list(user=user).get(pk=id),
        create_in=ActivityCreate,
        update_in=ActivityPatch,
        create=lambda actor, **data: services.activity_create(actor=actor, **data),
        update=lambda actor, activity, version, **data: services.activity_update(
            actor=actor, activity=activity, expected_version=version, **data
        ),
        delete=lambda actor, activity: services.activity_delete(actor=actor, activity=activity),
        to_kwargs=activity_kwargs,
    ),
)


class CompleteIn(StrictSchema):
    outcome: Outcome | None = None


@router.post(
    "/{int:id}/complete",
    response={200: ActivityOut, **WRITE_PROBLEMS},
    operation_id="activity_complete",
    summary="Mark a task or planned activity done",
    openapi_extra=versioning(if_match=True, etag=(200,)),
)
def complete(request, id: Id, payload: CompleteIn, response: HttpResponse):
    activity = selectors.activity_list(user=request.auth).get(pk=id)
    activity = services.activity_complete(
        actor=request.auth,
        activity=activity,
        outcome=payload.outcome or "",
        expected_version=expected_version(request),
    )
    set_etag(response, activity)
    return activity


class TimelineEntryOut(Schema):
    type: str
    at: datetime.datetime
    activity: ActivityOut | None = None
    change: HistoryEntryOut | None = None


class TimelineOut(Schema):
    items: list[TimelineEntryOut]
    next: str | None
    next_cursor: str | None


def timeline_endpoint(router: Router, record_type: str, get_record) -> None:
    """GET /{id}/timeline on ``router``: the record's activities and history, newest first."""

    @router.get(
        "/{int:id}/timeline",
        response={200: TimelineOut, **PROBLEMS},
        operation_id=f"{record_type}_timeline",
        summary=f"Activities and history of a {record_type}, newest first",
    )
    def record_timeline(
        request,
        id: Id,
        limit: Limit = 50,
        cursor: str | None = Query(None, max_length=200),
    ):
        record = get_record(request.auth, id)
        entries = selectors.timeline(
            record_type=record_type,
            record_id=record.pk,
            limit=limit,
            after=selectors.decode_timeline_cursor(cursor) if cursor else None,
        )
        next_url = next_cursor = None
        if len(entries) == limit:
            query = request.GET.copy()
            query["cursor"] = next_cursor = selectors.encode_timeline_cursor(entries[-1])
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return {
            "items": [
                {
                    "type": "activity" if e.activity else "change",
                    "at": e.at,
                    "activity": e.activity,
                    "change": e.change,
                }
                for e in entries
            ],
            "next": next_url,
            "next_cursor": next_cursor,
        }


history_endpoint(
    router, RecordType.ACTIVITY, lambda user, id: selectors.activity_list(user=user).get(pk=id)
)
