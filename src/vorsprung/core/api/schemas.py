"""Shared API pieces: storable and strict input schemas, problem and page shapes,
version headers."""

import datetime
import re
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    StrictInt,
    TypeAdapter,
    WithJsonSchema,
    field_validator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from vorsprung.core.dates import date_range_message, is_in_range
from vorsprung.core.errors import ValidationError
from vorsprung.core.filtersets import ISO_DATE, ISO_DATETIME
from vorsprung.core.normalisers import currency_codes
from vorsprung.core.pagination import Page

API_ROOT = "/api/v1/"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200

# Ids are positive 64-bit integers in the database; a larger number would overflow SQLite.
MAX_ID = 2**63 - 1


# --- strict input types -------------------------------------------------------------------
# JSON bodies carry typed values: an id is a JSON integer (``true`` and "3" are not), a
# flag a JSON boolean. Query parameters are always text: an id there is a string of
# digits, never "true", "1.0" or "1e3". Dates and times are ISO 8601 text in both; a number
# is never read as a timestamp.

Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Flag = StrictBool
Count = StrictInt


def _whole_number_text(value: Any) -> Any:
    if isinstance(value, bool | float) or (
        isinstance(value, str) and not re.fullmatch(r"-?[0-9]+", value.strip())
    ):
        raise PydanticCustomError(
            "int_parsing", _("Input should be a whole number, written in digits.")
        )
    return value


def query_int(**constraints) -> Any:
    """A whole number in a query parameter, with ``Field`` constraints (ge, le, …)."""
    return Annotated[int, Field(**constraints), BeforeValidator(_whole_number_text)]


QueryId = query_int(ge=1, le=MAX_ID)
_query_id = TypeAdapter(QueryId)


def _owner_ref(value: Any) -> int | str:
    if value == "me":
        return value
    try:
        return _query_id.validate_python(value)
    except PydanticValidationError as exc:
        error = exc.errors()[0]
        raise PydanticCustomError(error["type"], error["msg"]) from None


# A user named in a filter: an id, or "me" for the user asking.
QueryOwner = Annotated[
    int | str,
    PlainValidator(_owner_ref),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                {"type": "string", "enum": ["me"]},
            ]
        }
    ),
]
Limit = query_int(ge=1, le=MAX_LIMIT, description="Rows per page.")


def _date_text(value: Any) -> Any:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value.strip()):
        raise PydanticCustomError("date_type", _("Input should be an ISO 8601 date (YYYY-MM-DD)."))
    return value.strip()


def _datetime_text(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str) or not ISO_DATETIME.fullmatch(value.strip()):
        raise PydanticCustomError(
            "datetime_type",
            _("Input should be an ISO 8601 date and time (YYYY-MM-DDTHH:MM:SS±HH:MM)."),
        )
    return value.strip()


IsoDate = Annotated[datetime.date, BeforeValidator(_date_text)]


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


IsoDateTime = Annotated[
    datetime.datetime, BeforeValidator(_datetime_text), AfterValidator(storable)
]


def _moment(value: Any) -> datetime.date | datetime.datetime:
    if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
        return datetime.date.fromisoformat(value.strip())
    value = _datetime_text(value)
    if isinstance(value, str):
        try:
            value = TypeAdapter(datetime.datetime).validate_python(value)
        except PydanticValidationError:
            raise PydanticCustomError(
                "datetime_type",
                _("Input should be an ISO 8601 date and time (YYYY-MM-DDTHH:MM:SS±HH:MM)."),
            ) from None
    return storable(value)


# A bound in time for the lists' filters: a date (the whole day) or a date and time.
QueryMoment = Annotated[
    datetime.date | datetime.datetime,
    PlainValidator(_moment),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "format": "date-time"},
            ]
        }
    ),
]


# --- money ----------------------------------------------------------------------------------
# Amounts travel as decimal strings ("12500.00"), never as binary floating point numbers;
# currencies as ISO 4217 codes.

AMOUNT_PATTERN = r"^[0-9]{1,14}(\.[0-9]{1,2})?$"


def _amount_text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str) or not re.fullmatch(AMOUNT_PATTERN, value.strip()):
        raise PydanticCustomError(
            "decimal_type",
            _('Send the amount as a decimal string with at most two decimals, e.g. "12500.00".'),
        )
    return Decimal(value.strip())


Amount = Annotated[
    Decimal,
    PlainValidator(_amount_text),
    WithJsonSchema(
        {
            "type": "string",
            "format": "decimal",
            "pattern": AMOUNT_PATTERN,
            "examples": ["12500.00"],
        }
    ),
]


RATE_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,8})?$"


def _rate_text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str) or not re.fullmatch(RATE_PATTERN, value.strip()):
        raise PydanticCustomError(
            "decimal_type",
            _('Send the rate as a decimal string with at most eight decimals, e.g. "11.45".'),
        )
    return Decimal(value.strip())


# An exchange rate: what one unit of a currency is worth in another.
Rate = Annotated[
    Decimal,
    PlainValidator(_rate_text),
    WithJsonSchema(
        {"type": "string", "format": "decimal", "pattern": RATE_PATTERN, "examples": ["11.45"]}
    ),
]


def _currency_code(value: Any) -> str:
    code = value.strip().upper() if isinstance(value, str) else ""
    if code not in currency_codes():
        raise PydanticCustomError("currency", _("Send an ISO 4217 currency code, e.g. EUR."))
    return code


CURRENCY_SCHEMA = {"type": "string", "format": "iso-4217", "minLength": 3, "maxLength": 3}
Currency = Annotated[
    str,
    PlainValidator(_currency_code),
    WithJsonSchema({**CURRENCY_SCHEMA, "examples": ["EUR"]}),
]

# What the API answers: amounts with two decimals, currency codes in capitals.
AmountOut = Annotated[
    Decimal,
    WithJsonSchema({"type": "string", "format": "decimal", "pattern": r"^-?[0-9]+\.[0-9]{2}$"}),
]
DecimalOut = Annotated[
    Decimal,
    WithJsonSchema({"type": "string", "format": "decimal", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}),
]
CurrencyOut = Annotated[str, WithJsonSchema({**CURRENCY_SCHEMA, "pattern": "^[A-Z]{3}$"})]
# A currency that may be missing ("" when no amount is given).
CurrencyOrEmptyOut = Annotated[
    str,
    WithJsonSchema(
        {"type": "string", "format": "iso-4217", "maxLength": 3, "pattern": "^([A-Z]{3})?$"}
    ),
]


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


def unchanged(**constraints) -> Any:
    """A PATCH field that may be left out (the value stays) but cannot be null: there is
    no empty value to set. (Nullable fields, ``X | None = None``, clear the value.)"""
    return Field(None, json_schema_extra=_no_default, **constraints)


class InputSchema(Schema):
    """Query and body input: only values the database can store (see ``storable``)."""

    @field_validator("*")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return storable(value)


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
WRITE_PROBLEMS = {**PROBLEMS, 409: Problem, 412: Problem, 415: Problem}


def versioning(
    *, if_match: bool = False, etag: tuple[int, ...] = (), location: bool = False
) -> dict:
    """What an operation says in the OpenAPI document about versions (Ninja's
    ``openapi_extra``): the ``If-Match`` header it honours (a stale one answers 412), the
    responses that carry the record's ``ETag``, and a 201 that carries ``Location``."""
    extra: dict = {}
    if if_match:
        extra["parameters"] = [
            {
                "in": "header",
                "name": "If-Match",
                "required": False,
                "schema": {"type": "string", "examples": ['"3"']},
                "description": "The ETag of the record as you read it. When the record has "
                "changed since, nothing is changed and the answer is 412.",
            }
        ]
    responses: dict = {}
    for status in etag:
        responses.setdefault(status, {}).setdefault("headers", {})["ETag"] = {
            "description": "The record's version, to send back in If-Match.",
            "required": True,
            "schema": {"type": "string", "pattern": '^"[0-9]+"$'},
        }
    if location:
        responses.setdefault(201, {}).setdefault("headers", {})["Location"] = {
            "description": "The URL of the record created.",
            "required": True,
            "schema": {"type": "string", "format": "uri"},
        }
    if responses:
        extra["responses"] = responses
    return extra


def page_body(request: HttpRequest, page: Page) -> dict:
    """``items``, the absolute URL of the ``next`` page (same query, new cursor) and the
    bare ``next_cursor``."""
    next_url = None
    if page.next_cursor:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"items": page.items, "next": next_url, "next_cursor": page.next_cursor}


def set_location(request: HttpRequest, response, path: str) -> None:
    """``Location`` of a record just created, as an absolute URL."""
    response["Location"] = request.build_absolute_uri(path)


def replace_nulls(data: dict, names, value) -> dict:
    """JSON null for a field that cannot be empty in the database means ``value``
    ("" for text, False for a flag)."""
    for name in names:
        if name in data and data[name] is None:
            data[name] = value
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
