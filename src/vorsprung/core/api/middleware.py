"""Problem details for the API refusals Ninja does not make itself: a method the path
does not offer (405) and a body that is not JSON (415)."""

import re

from django.utils.translation import gettext as _

from vorsprung.core.api.problems import PROBLEM_CONTENT_TYPE, problem_response


class ApiMethodNotAllowed:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)
        ):
            # Ninja lists the methods in no fixed order; sorted, the answer is stable.
            methods = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
            allowed = ", ".join(sorted(methods))
            return problem_response(
                405,
                _("%(method)s is not allowed here; allowed: %(allowed)s.")
                % {"method": request.method, "allowed": allowed or _("none")},
                kind="method-not-allowed",
                headers={"Allow": allowed},
            )
        return response


JSON_TYPE = re.compile(r"^application/([\w.-]+\+)?json$")


class ApiMediaType:
    """A request body sent to the API must be JSON (``application/json`` or a
    ``+json`` type); any other is refused before it is parsed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and _has_body(request):
            media_type = request.content_type or ""
            if not JSON_TYPE.match(media_type.strip().lower()):
                return problem_response(
                    415,
                    _("Send the body as JSON (Content-Type: application/json), not %(type)s.")
                    % {"type": media_type or _("without a Content-Type")},
                    kind="unsupported-media-type",
                    headers={"Accept-Post": "application/json", "Accept-Patch": "application/json"},
                )
        return self.get_response(request)


def _has_body(request) -> bool:
    if "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        return True
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > 0
    except ValueError:
        return True
