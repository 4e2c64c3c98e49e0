"""The endpoints of an admin-kept pick list (lost reasons, disqualification reasons),
built once so that both lists behave alike: everyone reads the offered entries,
administrators add, rename, move, retire, restore and (where the list allows) delete."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.constants import NOT_SET
from pydantic import Field

from vorsprung.core.api.crud import api_field_names
from vorsprung.core.api.schemas import (
    PROBLEMS,
    WRITE_PROBLEMS,
    Id,
    InputSchema,
    StrictSchema,
    set_location,
    versioning,
)


class PickListEntryOut(Schema):
    id: int
    label: str
    position: int = Field(description="The entry's place in the list, from 0.")
    is_active: bool = Field(description="Offered; false for a retired entry.")


class PickListPage(Schema):
    items: list[PickListEntryOut]
    next: str | None = Field(None, description="Always null: the whole list is one page.")


class PickListEntryIn(StrictSchema):
    label: str = Field(..., max_length=255)


class PickListEntryPatch(StrictSchema):
    label: str | None = Field(None, max_length=255)
    position: int | None = Field(None, ge=0, le=32_767)
    is_active: bool | None = Field(
        None, description="false retires the entry, true offers it again."
    )


class PickListFilters(InputSchema):
    include_retired: bool = False


@dataclass
class PickList:
    name: str  # singular, for operation ids: "lost_reason"
    entries: Callable  # (include_retired=) -> QuerySet in the list's order
    get: Callable  # (id=) -> entry, or DoesNotExist
    create: Callable  # (actor=, label=) -> entry
    update: Callable  # (actor=, reason=, label=, position=, is_active=) -> entry
    delete: Callable | None = None  # (actor=, reason=) -> None, or the entry when retired
    write_auth: list | None = None


def register_picklist(router: Router, picklist: PickList) -> None:
    p = picklist
    write_auth = NOT_SET if p.write_auth is None else p.write_auth

    @router.get(
        "",
        response={200: PickListPage, **PROBLEMS},
        operation_id=f"{p.name}_list",
        summary=f"List the {p.name.replace('_', ' ')}s",
    )
    def list_entries(request, filters: Query[PickListFilters]):
        # An administrator's short list: one page, one query.
        return {"items": list(p.entries(include_retired=filters.include_retired)), "next": None}

    @router.get(
        "/{int:id}",
        response={200: PickListEntryOut, **PROBLEMS},
        operation_id=f"{p.name}_get",
        summary=f"Retrieve a {p.name.replace('_', ' ')}",
    )
    def get_entry(request, id: Id):
        return p.get(id=id)

    @router.post(
        "",
        response={201: PickListEntryOut, **WRITE_PROBLEMS},
        operation_id=f"{p.name}_create",
        summary=f"Offer a new {p.name.replace('_', ' ')}, at the end of the offered ones",
        auth=write_auth,
        openapi_extra=versioning(location=True),
    )
    def create_entry(request, payload: PickListEntryIn, response: HttpResponse):
        entry = p.create(actor=request.auth, label=payload.label)
        set_location(request, response, f"{request.path.rstrip('/')}/{entry.pk}")
        return Status(201, entry)

    @router.patch(
        "/{int:id}",
        response={200: PickListEntryOut, **WRITE_PROBLEMS},
        operation_id=f"{p.name}_update",
        summary=f"Rename, move, retire or restore a {p.name.replace('_', ' ')}",
        auth=write_auth,
    )
    def update_entry(request, id: Id, payload: PickListEntryPatch):
        entry = p.get(id=id)
        with api_field_names(PickListEntryPatch):
            return p.update(
                actor=request.auth, reason=entry, **payload.model_dump(exclude_unset=True)
            )

    if p.delete is not None:

        @router.delete(
            "/{int:id}",
            response={200: PickListEntryOut, 204: None, **WRITE_PROBLEMS},
            operation_id=f"{p.name}_delete",
            summary=f"Delete a {p.name.replace('_', ' ')} nothing carries; retire one in use",
            description="204 when the entry was deleted; 200 with the entry, now retired, "
            "when records carry it.",
            auth=write_auth,
        )
        def delete_entry(request, id: Id):
            retired = p.delete(actor=request.auth, reason=p.get(id=id))
            return Status(204, None) if retired is None else retired
