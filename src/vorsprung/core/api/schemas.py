"""Shared API pieces: storable and strict input schemas, problem and page shapes,
version headers."""

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from vorsprung.core.dates import date_range_message, is_in_range
from vorsprung.core.errors import ValidationError
from vorsprung.core.pagination import Page

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

# Ids are positive 64-bit integers in the database; a larger number would overflow SQLite.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


def storable(value: Any) -> Any:
    """``value`` as every supported database stores it, or a validation error: text
    without NUL characters, dates within the accepted range (``core.dates``) and
    date-times in UTC (PostgreSQL refuses both NUL and offsets beyond ±15:59; SQLite
    converts to UTC on its own and overflows at year 1)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise PydanticCustomError("nul_character", _("Text may not contain NUL characters."))
        return value
    if isinstance(value, datetime.date) and not is_in_range(value):
        raise PydanticCustomError("date_out_of_range", date_range_message())
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise PydanticCustomError(
                "datetime_out_of_range", _("This date and time is out of range.")
            ) from None
    if isinstance(value, list):
        return [storable(item) for item in value]
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    return value


StorableDateTime = Annotated[datetime.datetime, AfterValidator(storable)]


class InputSchema(Schema):
    """Query and body input: only values the database can store (see ``storable``)."""

    @field_validator("*")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return storable(value)


class RecordFilters(InputSchema):
    """Filters every owned record's list offers: the owner's team, when it was created or
    last changed, and a search term."""

    team: Id | None = None
    created_after: datetime.datetime | None = None
    created_before: datetime.datetime | None = None
    updated_after: datetime.datetime | None = None
    updated_before: datetime.datetime | None = None
    q: str | None = Field(None, max_length=200)


class StrictSchema(InputSchema):
    """Input bodies refuse fields they do not know, instead of silently dropping them."""

    model_config = ConfigDict(extra="forbid")


class FieldProblem(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = None


# Responses every authenticated endpoint may give, documented in the OpenAPI schema.
PROBLEMS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 413: Problem, 422: Problem}
WRITE_PROBLEMS = {**PROBLEMS, 409: Problem, 412: Problem}


def page_body(request: HttpRequest, page: Page) -> dict:
    """``items`` and the absolute URL of the ``next`` page (same query, new cursor)."""
    next_url = None
    if page.next_cursor:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"items": page.items, "next": next_url}


def replace_nulls(data: dict, names, value) -> dict:
    """JSON null for a field that cannot be empty in the database means ``value``
    ("" for text, False for a flag)."""
    for name in names:
        if name in data and data[name] is None:
            data[name] = value
    return data


def drop_nulls(data: dict, names) -> dict:
    """JSON null for a field that must have a value means "leave it as it is"."""
    for name in names:
        if name in data and data[name] is None:
            del data[name]
    return data


def expected_version(request: HttpRequest) -> int | None:
    """The version named by an ``If-Match`` header ("3", W/"3" or 3), or None."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise ValidationError({"If-Match": [_('Send the ETag you received, e.g. "3".')]})
    return int(value)


def set_etag(response, instance) -> None:
    """The record's version as its ETag, for records that have one."""
    if hasattr(instance, "version"):
        response["ETag"] = f'"{instance.version}"'


def resolve_by_id(queryset, id_: int | None, field: str, *, message: str | None = None):
    """The record with ``id_`` from ``queryset`` (already limited to what the user may
    see), or a ValidationError on ``field``. None stays None."""
    if id_ is None:
        return None
    record = queryset.filter(pk=id_).first()
    if record is None:
        raise ValidationError(
            {field: [message or _("No record with id %(id)s that you may see.") % {"id": id_}]}
        )
    return record


class AddressOut(Schema):
    """The postal address every record with one shows (see core.models.PostalAddress)."""

    street: str
    postal_code: str
    city: str
    region: str
    country: str

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code or ""


class AddressIn(StrictSchema):
    street: str | None = Field(None, max_length=200)
    postal_code: str | None = Field(None, max_length=20)
    city: str | None = Field(None, max_length=100)
    region: str | None = Field(None, max_length=100)
    country: str | None = Field(None, max_length=60)
