"""One view, two renderings: the whole page, or for an htmx request only the part that
changed."""

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def render_page(
    request: HttpRequest, template: str, partial: str, context: dict, status: int = 200
) -> HttpResponse:
    """``partial`` for htmx requests, ``template`` (which includes it) otherwise."""
    return render(request, partial if is_htmx(request) else template, context, status=status)


def redirect_to(url: str, request: HttpRequest) -> HttpResponse:
    """A redirect htmx follows as a full page load (HX-Redirect) and a browser as a 303."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def error_response(message: str, status: int = 409) -> HttpResponse:
    """A refusal htmx shows as an alert (the page script reads X-Error-Message); the body
    says the same for anyone else."""
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["X-Error-Message"] = quote(message)
    return response
