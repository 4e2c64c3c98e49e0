"""RFC 9457 problem details for every error the API returns.

Services raise Django's ValidationError, Conflict or NotAllowed; Ninja raises its own
validation and HTTP errors; Django raises Http404, PermissionDenied, DoesNotExist and
RequestDataTooBig. Each becomes ``application/problem+json`` with ``type``, ``title``,
``status``, ``detail`` and, for validation, ``errors`` (field path + message).
"""

import json
import logging

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from vorsprung.core.api.schemas import Problem
from vorsprung.core.errors import Conflict, NotAllowed

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "urn:vorsprung:problem:"

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request body too large",
    414: "URI too long",
    415: "Unsupported media type",
    422: "Validation failed",
    428: "Precondition required",
    429: "Too many requests",
    431: "Request header fields too large",
    500: "Internal server error",
}


def problem_body(
    status: int, detail: str, *, kind: str | None = None, errors: list[dict] | None = None
) -> bytes:
    """The problem document as UTF-8 JSON."""
    body = {
        "type": TYPE_BASE + (kind or str(status)),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": str(detail),
    }
    if errors is not None:
        body["errors"] = errors
    return json.dumps(body, ensure_ascii=False).encode()


def problem_response(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    errors: list[dict] | None = None,
    headers: dict | None = None,
) -> HttpResponse:
    response = HttpResponse(
        problem_body(status, detail, kind=kind, errors=errors),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@csrf_exempt
def no_such_endpoint(request: HttpRequest) -> HttpResponse:
    """A path under the API that names no endpoint (``/leads/abc``) is a problem too, not
    Django's HTML page."""
    return problem_response(404, _("No such endpoint."), kind="no-such-endpoint")


def document_problem_responses(document: dict) -> dict:
    """Say in the OpenAPI document that problems are sent as ``application/problem+json``
    (Ninja documents every response with its renderer's ``application/json``)."""
    problem_ref = f"#/components/schemas/{Problem.__name__}"
    for operations in document["paths"].values():
        for operation in operations.values():
            for response in operation["responses"].values():
                content = response.get("content", {})
                media = content.get("application/json")
                if media is not None and media["schema"].get("$ref") == problem_ref:
                    content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
    return document


def _django_validation_errors(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": field if field != "__all__" else "", "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "message": str(message)} for message in exc.messages]


def _ninja_validation_errors(exc: NinjaValidationError) -> list[dict]:
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        # ("body", "payload", "email") → "email"; ("query", "limit") → "limit"
        if location and location[0] in {"body", "query", "path", "header", "cookie"}:
            location = location[1:]
            if location and location[0] in {"payload", "data", "filters", "params"}:
                location = location[1:]
        message = error.get("msg", "Invalid value")
        if error.get("type") == "extra_forbidden":
            message = _("This field does not exist or cannot be changed here.")
        errors.append({"field": ".".join(location), "message": message})
    return errors


def install_problem_handlers(api) -> None:
    """Register a handler for every error class that may reach the API."""

    def validation(request: HttpRequest, exc: DjangoValidationError):
        errors = _django_validation_errors(exc)
        return problem_response(
            422, _("The request has invalid fields."), errors=errors, kind="validation"
        )

    def ninja_validation(request: HttpRequest, exc: NinjaValidationError):
        errors = _ninja_validation_errors(exc)
        if any(e.get("type") == "json_invalid" for e in exc.errors) or any(
            "JSON" in str(e.get("msg", "")) and not e.get("loc", ())[1:] for e in exc.errors
        ):
            return problem_response(
                400, _("The request body is not valid JSON."), kind="malformed-json"
            )
        return problem_response(
            422, _("The request has invalid fields."), errors=errors, kind="validation"
        )

    def conflict(request: HttpRequest, exc: Conflict):
        if exc.code == "stale_version":
            return problem_response(412, exc.message, kind="stale-version")
        return problem_response(409, exc.message, kind=exc.code.replace("_", "-"))

    def not_allowed(request: HttpRequest, exc: NotAllowed):
        return problem_response(403, exc.message, kind="not-allowed")

    def permission_denied(request: HttpRequest, exc: PermissionDenied):
        return problem_response(403, str(exc) or _("You may not do this."), kind="forbidden")

    def not_found(request: HttpRequest, exc: Exception):
        return problem_response(404, _("No such record, or you may not see it."), kind="not-found")

    def too_big(request: HttpRequest, exc: RequestDataTooBig):
        return problem_response(413, _("The request body is too large."), kind="too-large")

    def authentication(request: HttpRequest, exc: AuthenticationError):
        return problem_response(
            401,
            _("Send a valid API token (Authorization: Bearer …) or log in."),
            kind="unauthenticated",
            headers={"WWW-Authenticate": 'Bearer realm="vorsprung"'},
        )

    def http_error(request: HttpRequest, exc: HttpError):
        if exc.status_code == 400 and str(exc) == "Cannot parse request body":
            return problem_response(
                400, _("The request body is not valid JSON."), kind="malformed-json"
            )
        if exc.status_code == 403 and str(exc) == "CSRF check Failed":
            return problem_response(
                403,
                _(
                    "The CSRF token is missing or wrong: send the csrftoken cookie's value "
                    "in the X-CSRFToken header, or use an API token instead of the session."
                ),
                kind="csrf",
            )
        return problem_response(exc.status_code, str(exc))

    def integrity(request: HttpRequest, exc: IntegrityError):
        logger.warning("Integrity error reached the API: %s", exc)
        return problem_response(
            409, _("The change conflicts with existing data."), kind="integrity"
        )

    def unexpected(request: HttpRequest, exc: Exception):
        logger.exception("Unhandled error in the API", exc_info=exc)
        return problem_response(500, _("Something went wrong on our side."))

    api.add_exception_handler(Exception, unexpected)
    api.add_exception_handler(DjangoValidationError, validation)
    api.add_exception_handler(NinjaValidationError, ninja_validation)
    api.add_exception_handler(Conflict, conflict)
    api.add_exception_handler(NotAllowed, not_allowed)
    api.add_exception_handler(PermissionDenied, permission_denied)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)
    api.add_exception_handler(RequestDataTooBig, too_big)
    api.add_exception_handler(AuthenticationError, authentication)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(IntegrityError, integrity)
