from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers


class LoginRequired(LoginRequiredMiddleware):
    """Every page needs a logged-in user, except the login page itself. The REST API
    authenticates on its own (tokens or the session) and answers 401 as a problem
    document, so it is left to do so."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class UserLanguage:
    """A user's chosen language wins over the browser's; without a choice the browser's
    Accept-Language (or the language cookie) decides, as LocaleMiddleware set it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class HtmxPartials:
    """A page and the part of it an htmx request fetches share one address. Without
    telling caches so, the browser's Back and Forward show the part it last fetched there
    (unstyled results, a board whose columns never load) instead of the page. So every
    response varies on the htmx request headers, and an htmx response is never stored:
    the browser fetches the page again when it goes back to it. (htmx's own history
    restore asks with ``HX-History-Restore-Request``; ``ui.htmx.is_htmx`` answers it with
    the whole page.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith("/api/") or request.path_info.startswith("/static/"):
            return response
        patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
        if request.headers.get("HX-Request"):
            patch_cache_control(response, no_store=True)
        return response
