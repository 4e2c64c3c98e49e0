"""API authentication: personal tokens (``Authorization: Bearer …``) or the browser
session, whose unsafe requests must carry the CSRF token."""

from ninja.security import HttpBearer, SessionAuth

from vorsprung.accounts.tokens import api_token_authenticate, token_prefix
from vorsprung.core.doors import note_token


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
            note_token(token_prefix(token))
        return user


class ActiveSession(SessionAuth):
    def _get_key(self, request):
        # Without a session cookie there is nothing to protect from forgery: answer 401
        # (authenticate!), not a CSRF 403.
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


def api_auth() -> list:
    return [BearerToken(), ActiveSession(csrf=True)]
