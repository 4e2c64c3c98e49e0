from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.utils import translation


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
