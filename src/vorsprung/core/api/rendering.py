"""Fast JSON for flat output schemas.

Ninja validates every output object through a per-attribute proxy, which costs about as
much as the query for a page of 50 records. For schemas whose fields are plain values
(ids, text, numbers, dates) the rows are built here with plain attribute reads and the
schema's ``resolve_<field>`` functions, and encoded the way Ninja encodes them
(DjangoJSONEncoder), so clients see the same document, only sooner. The tests and the
schemathesis run check these responses against the OpenAPI schema.
"""

import json
import typing
from functools import cache

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from pydantic import BaseModel


def _contains_model(annotation) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_contains_model(arg) for arg in typing.get_args(annotation))


@cache
def is_flat(schema: type[BaseModel]) -> bool:
    return not any(_contains_model(f.annotation) for f in schema.model_fields.values())


@cache
def _accessors(schema: type[BaseModel]):
    accessors = []
    for name in schema.model_fields:
        resolver = getattr(schema, f"resolve_{name}", None)
        accessors.append((name, resolver))
    return tuple(accessors)


def row(schema: type[BaseModel], instance) -> dict:
    values = {}
    for name, resolver in _accessors(schema):
        values[name] = resolver(instance) if resolver is not None else getattr(instance, name)
    return values


def json_response(data, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder),
        status=status,
        content_type="application/json; charset=utf-8",
    )
