"""API authentication: personal tokens (``Authorization: Bearer …``) or the browser
session, whose unsafe requests must carry the CSRF token.

Ninja authenticates before it reads the path and the body, so an endpoint that only
administrators may call refuses everyone else right here (``admin_auth``): a rep learns
that the endpoint is not for them (403), not what was wrong with their input (422)."""

from collections.abc import Callable

from ninja.security import HttpBearer, SessionAuth

from vorsprung.accounts.permissions import check_is_admin
from vorsprung.accounts.tokens import api_token_authenticate, token_prefix
from vorsprung.core.doors import note_token


class BearerToken(HttpBearer):
    def __init__(self, *, check: Callable | None = None):
        super().__init__()
        self.check = check

    def authenticate(self, request, token: str):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
            note_token(token_prefix(token))
            if self.check is not None:
                self.check(user)
        return user


class ActiveSession(SessionAuth):
    def __init__(self, *, csrf: bool = True, check: Callable | None = None):
        super().__init__(csrf=csrf)
        self.check = check

    def _get_key(self, request):
        # Without a session cookie there is nothing to protect from forgery: answer 401
        # (authenticate!), not a CSRF 403.
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or not user.is_active:
            return None
        if self.check is not None:
            self.check(user)
        return user


def api_auth(check: Callable | None = None) -> list:
    """Who may call an endpoint: anyone with a token or a session; with ``check``, only
    those it lets through (it raises ``NotAllowed`` for the others, a 403)."""
    return [BearerToken(check=check), ActiveSession(csrf=True, check=check)]


def admin_auth() -> list:
    """For the endpoints that change users, teams, pipelines, reason lists and the
    conversion policy. The services check the same rule again."""
    return api_auth(check=check_is_admin)
