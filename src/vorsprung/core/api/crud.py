"""The five standard endpoints of a resource — list, create, retrieve, update (PATCH),
delete — built once from a resource description, so every resource behaves alike:
keyset pages, visibility through the selectors, services for every write, ETags and
If-Match, problem details."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import create_model

from vorsprung.core.api.schemas import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    PROBLEMS,
    WRITE_PROBLEMS,
    expected_version,
    page_body,
)
from vorsprung.core.errors import NotAllowed, ValidationError
from vorsprung.core.pagination import keyset_page


@dataclass
class Resource:
    name: str  # singular, for operation ids: "lead"
    out: type[Schema]
    filters: type[Schema]
    list_selector: Callable  # (user, filters: dict) -> QuerySet
    get_selector: Callable  # (user, id) -> instance (DoesNotExist when not visible)
    orderings: tuple[str, ...]
    create_in: type[Schema] | None = None
    update_in: type[Schema] | None = None
    create: Callable | None = None  # (actor, **kwargs) -> instance
    update: Callable | None = None  # (actor, instance, expected_version, **kwargs) -> instance
    delete: Callable | None = None  # (actor, instance) -> None
    to_kwargs: Callable[[HttpRequest, dict], dict] = field(default=lambda request, data: data)
    may_create: Callable = field(default=lambda user: True)


def page_schema(out: type[Schema]) -> type[Schema]:
    return create_model(
        f"{out.__name__}Page", __base__=Schema, items=(list[out], ...), next=(str | None, None)
    )


def check_ordering(ordering: str, allowed: tuple[str, ...]) -> str:
    if ordering not in allowed:
        raise ValidationError(
            {"ordering": [_("Order by one of: %(values)s.") % {"values": ", ".join(allowed)}]}
        )
    return ordering


def register_crud(router: Router, resource: Resource) -> None:
    r = resource
    Page = page_schema(r.out)
    Filters = r.filters

    @router.get(
        "",
        response={200: Page, **PROBLEMS},
        operation_id=f"{r.name}_list",
        summary=f"List {r.name}s",
    )
    def list_records(
        request,
        filters: Query[Filters],
        ordering: str = r.orderings[0],
        limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
        cursor: str | None = None,
    ):
        check_ordering(ordering, r.orderings)
        queryset = r.list_selector(request.auth, filters.model_dump(exclude_none=True))
        return page_body(
            request, keyset_page(queryset, ordering=ordering, cursor=cursor, limit=limit)
        )

    @router.get(
        "/{int:id}",
        response={200: r.out, **PROBLEMS},
        operation_id=f"{r.name}_get",
        summary=f"Retrieve a {r.name}",
    )
    def get_record(request, id: int, response: HttpResponse):
        instance = r.get_selector(request.auth, id)
        if hasattr(instance, "version"):
            response["ETag"] = f'"{instance.version}"'
        return instance

    if r.create is not None:
        CreateIn = r.create_in

        @router.post(
            "",
            response={201: r.out, **WRITE_PROBLEMS},
            operation_id=f"{r.name}_create",
            summary=f"Create a {r.name}",
        )
        def create_record(request, payload: CreateIn, response: HttpResponse):
            if not r.may_create(request.auth):
                raise NotAllowed(_("You may not create this kind of record."))
            data = r.to_kwargs(request, payload.model_dump(exclude_unset=True))
            instance = r.create(request.auth, **data)
            if hasattr(instance, "version"):
                response["ETag"] = f'"{instance.version}"'
            return 201, instance

    if r.update is not None:
        UpdateIn = r.update_in

        @router.patch(
            "/{int:id}",
            response={200: r.out, **WRITE_PROBLEMS},
            operation_id=f"{r.name}_update",
            summary=f"Update a {r.name}",
        )
        def update_record(request, id: int, payload: UpdateIn, response: HttpResponse):
            instance = r.get_selector(request.auth, id)
            version = expected_version(request)
            data = r.to_kwargs(request, payload.model_dump(exclude_unset=True))
            instance = r.update(request.auth, instance, version, **data)
            if hasattr(instance, "version"):
                response["ETag"] = f'"{instance.version}"'
            return instance

    if r.delete is not None:

        @router.delete(
            "/{int:id}",
            response={204: None, **WRITE_PROBLEMS},
            operation_id=f"{r.name}_delete",
            summary=f"Delete a {r.name}",
        )
        def delete_record(request, id: int):
            instance = r.get_selector(request.auth, id)
            r.delete(request.auth, instance)
            return 204, None
