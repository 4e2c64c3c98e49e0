"""The API's query parameters of a list, built from the list's FilterSet (see
``core.filtersets``), so what the API documents and accepts is what the selector filters
by: each kind of filter with its JSON type, enums for choices and for ``ordering``."""

from functools import cache
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field, PlainValidator, WithJsonSchema, create_model
from pydantic_core import PydanticCustomError

from vorsprung.core.api.schemas import (
    InputSchema,
    IsoDate,
    QueryId,
    QueryMoment,
    QueryOwner,
    query_int,
)
from vorsprung.core.filtersets import (
    ChoicesFilter,
    DayFilter,
    FlagFilter,
    IdsFilter,
    ListFilterSet,
    MomentFilter,
    NumberFilter,
    OneOfFilter,
    OwnerFilter,
    SearchFilter,
    TextsFilter,
)

MOMENT = (
    "An ISO 8601 date (the whole day) or date and time. The `…_after` bounds include "
    "it; the `…_before` bounds end before a date and time, or with the end of a date."
)


def _parameter(filter_) -> tuple[Any, str]:
    """The type and description of one filter's query parameter."""
    label = str(filter_.label or "")
    if isinstance(filter_, OwnerFilter):
        return list[QueryOwner], f'{label}: user ids, or "me" (you).'
    if isinstance(filter_, IdsFilter):
        return list[QueryId], f"{label}: any of these ids."
    if isinstance(filter_, ChoicesFilter):
        return list[filter_.choices_class], f"{label}: any of these values."
    if isinstance(filter_, TextsFilter):
        return list[Annotated[str, Field(max_length=filter_.max_length)]], f"{label}: any of these."
    if isinstance(filter_, FlagFilter):
        return bool, label
    if isinstance(filter_, NumberFilter):
        return query_int(ge=filter_.minimum, le=filter_.maximum), label
    if isinstance(filter_, DayFilter):
        return IsoDate, f"{label} (an ISO 8601 date, included)."
    if isinstance(filter_, MomentFilter):
        return QueryMoment, f"{label}. {MOMENT}"
    if isinstance(filter_, SearchFilter):
        return Annotated[str, Field(max_length=filter_.max_length)], label
    if isinstance(filter_, OneOfFilter):
        return Literal[tuple(filter_.conditions)], label
    raise TypeError(f"No API type for {type(filter_).__name__}")


def ordering_type(orderings: tuple[str, ...]) -> Any:
    """One of ``orderings``, documented as an enum; any other value is refused naming them."""

    def check(value: Any) -> str:
        if value not in orderings:
            raise PydanticCustomError(
                "ordering",
                _("Order by one of: %(values)s.") % {"values": ", ".join(orderings)},
            )
        return value

    return Annotated[
        str, PlainValidator(check), WithJsonSchema({"type": "string", "enum": list(orderings)})
    ]


@cache
def query_schema(filterset: type[ListFilterSet]) -> type[Schema]:
    """The query parameters of ``filterset``'s list: its filters and ``ordering``."""
    fields: dict[str, Any] = {}
    for name, filter_ in filterset.base_filters.items():
        annotation, description = _parameter(filter_)
        fields[name] = (annotation | None, Field(None, description=description))
    if filterset.orderings:
        fields["ordering"] = (
            ordering_type(tuple(filterset.orderings)),
            Field(filterset.default_ordering(), description="The order of the list."),
        )
    name = filterset.__name__.removesuffix("FilterSet") + "Query"
    return create_model(name, __base__=InputSchema, **fields)
