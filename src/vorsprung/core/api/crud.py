"""The five standard endpoints of a resource — list, create, retrieve, update (PATCH),
delete — built once from a resource description, so every resource behaves alike:
keyset pages, visibility through the selectors, services for every write, ETags and
If-Match, problem details."""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.constants import NOT_SET
from pydantic import Field, create_model

from vorsprung.core.api.filters import query_schema
from vorsprung.core.api.rendering import is_flat, json_response, row
from vorsprung.core.api.schemas import (
    DEFAULT_LIMIT,
    PROBLEMS,
    WRITE_PROBLEMS,
    Id,
    Limit,
    expected_version,
    page_body,
    set_etag,
    set_location,
    versioning,
)
from vorsprung.core.errors import NotAllowed, ValidationError
from vorsprung.core.filtersets import ListFilterSet
from vorsprung.core.pagination import keyset_page
from vorsprung.core.validation import check_version


@dataclass
class Resource:
    name: str  # singular, for operation ids: "lead"
    out: type[Schema]
    filterset: type[ListFilterSet]  # the list's filters and orderings
    list_selector: Callable  # (user, filters: dict) -> QuerySet
    get_selector: Callable  # (user, id) -> instance (DoesNotExist when not visible)
    create_in: type[Schema] | None = None
    update_in: type[Schema] | None = None
    create: Callable | None = None  # (actor, **kwargs) -> instance
    update: Callable | None = None  # (actor, instance, expected_version, **kwargs) -> instance
    delete: Callable | None = None  # (actor, instance) -> None
    to_kwargs: Callable[[HttpRequest, dict], dict] = field(default=lambda request, data: data)
    may_create: Callable = field(default=lambda user: True)
    # Authentication of create, update and delete when it is narrower than the API's (the
    # administrators' resources): it runs before the body is read, so a caller who may not
    # write is refused before their input is checked.
    write_auth: list | None = None


@contextmanager
def api_field_names(schema: type[Schema], renames: dict[str, str] | None = None):
    """Report service errors under the names the client sent: a service's ``owner`` or
    ``lead`` is the API's ``owner_id`` or ``lead_id``; ``renames`` covers the rest."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        fields = schema.model_fields
        renamed = {}
        for name, messages in exc.message_dict.items():
            if renames and name in renames:
                name = renames[name]
            elif name not in fields and f"{name}_id" in fields:
                name = f"{name}_id"
            renamed.setdefault(name, []).extend(messages)
        raise ValidationError(renamed) from exc


def page_schema(out: type[Schema]) -> type[Schema]:
    return create_model(
        f"{out.__name__}Page",
        __base__=Schema,
        items=(list[out], ...),
        next=(str | None, Field(None, description="The URL of the next page; null on the last.")),
        next_cursor=(
            str | None,
            Field(
                None, description="The cursor of the next page (for `cursor`); null on the last."
            ),
        ),
    )


def register_crud(router: Router, resource: Resource) -> None:
    r = resource
    write_auth = NOT_SET if r.write_auth is None else r.write_auth
    Page = page_schema(r.out)
    # Records with a version send it as ETag and honour If-Match.
    versioned = "version" in r.out.model_fields
    Filters = query_schema(r.filterset)

    @router.get(
        "",
        response={200: Page, **PROBLEMS},
        operation_id=f"{r.name}_list",
        summary=f"List {r.name}s",
    )
    def list_records(
        request,
        filters: Query[Filters],
        limit: Limit = DEFAULT_LIMIT,
        cursor: str | None = None,
    ):
        values = filters.model_dump(exclude_none=True)
        ordering = values.pop("ordering")
        queryset = r.list_selector(request.auth, values)
        if is_flat(r.out):
            # Flat rows need no related objects; the fast path renders them directly.
            queryset = queryset.select_related(None)
        body = page_body(
            request, keyset_page(queryset, ordering=ordering, cursor=cursor, limit=limit)
        )
        if is_flat(r.out):
            body["items"] = [row(r.out, item) for item in body["items"]]
            return json_response(body)
        return body

    @router.get(
        "/{int:id}",
        response={200: r.out, **PROBLEMS},
        operation_id=f"{r.name}_get",
        summary=f"Retrieve a {r.name}",
        openapi_extra=versioning(etag=(200,) if versioned else ()),
    )
    def get_record(request, id: Id, response: HttpResponse):
        instance = r.get_selector(request.auth, id)
        set_etag(response, instance)
        return instance

    if r.create is not None:
        CreateIn = r.create_in

        @router.post(
            "",
            response={201: r.out, **WRITE_PROBLEMS},
            operation_id=f"{r.name}_create",
            auth=write_auth,
            summary=f"Create a {r.name}",
            openapi_extra=versioning(etag=(201,) if versioned else (), location=True),
        )
        def create_record(request, payload: CreateIn, response: HttpResponse):
            if not r.may_create(request.auth):
                raise NotAllowed(_("You may not create this kind of record."))
            with api_field_names(CreateIn):
                data = r.to_kwargs(request, payload.model_dump(exclude_unset=True))
                instance = r.create(request.auth, **data)
            set_etag(response, instance)
            set_location(request, response, f"{request.path.rstrip('/')}/{instance.pk}")
            return Status(201, instance)

    if r.update is not None:
        UpdateIn = r.update_in

        @router.patch(
            "/{int:id}",
            response={200: r.out, **WRITE_PROBLEMS},
            operation_id=f"{r.name}_update",
            auth=write_auth,
            summary=f"Update a {r.name}",
            openapi_extra=versioning(if_match=versioned, etag=(200,) if versioned else ()),
        )
        def update_record(request, id: Id, payload: UpdateIn, response: HttpResponse):
            instance = r.get_selector(request.auth, id)
            version = expected_version(request)
            with api_field_names(UpdateIn):
                data = r.to_kwargs(request, payload.model_dump(exclude_unset=True))
                instance = r.update(request.auth, instance, version, **data)
            set_etag(response, instance)
            return instance

    if r.delete is not None:

        @router.delete(
            "/{int:id}",
            response={204: None, **WRITE_PROBLEMS},
            operation_id=f"{r.name}_delete",
            auth=write_auth,
            summary=f"Delete a {r.name}",
            openapi_extra=versioning(if_match=versioned),
        )
        def delete_record(request, id: Id):
            instance = r.get_selector(request.auth, id)
            if hasattr(instance, "version"):
                check_version(instance, expected_version(request))
            r.delete(request.auth, instance)
            return Status(204, None)
