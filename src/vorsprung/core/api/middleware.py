"""Problem details for the one API refusal Ninja answers itself: a method the path does
not offer (405)."""

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
