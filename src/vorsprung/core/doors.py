"""Through which door a change comes in: the web pages, the API (and with which token),
the Django admin, the command line, or the system itself (background jobs, migrations).

The door is part of every history entry. It is held in a context variable: the request
middleware sets it for each request, the API's token authentication adds the token, and
the ``vorsprung`` command sets it for the command line. Whatever runs outside of these
acts as the system.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

from django.db import models
from django.utils.translation import gettext_lazy as _


class Door(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    ADMIN = "admin", _("Admin")
    CLI = "cli", _("Command line")
    SYSTEM = "system", _("System")


@dataclass(frozen=True)
class Entrance:
    door: str = Door.SYSTEM
    token_prefix: str = ""


# Entrance is frozen, so the one default instance is safely shared.
_current: ContextVar[Entrance] = ContextVar("vorsprung_entrance", default=Entrance())  # noqa: B039


def current_entrance() -> Entrance:
    return _current.get()


@contextmanager
def entered_through(door: str, *, token_prefix: str = "") -> Iterator[Entrance]:
    """Changes made inside the block came in through ``door``."""
    entrance = Entrance(door=door, token_prefix=token_prefix)
    reset = _current.set(entrance)
    try:
        yield entrance
    finally:
        _current.reset(reset)


def enter(door: str) -> None:
    """From now on, in this context, changes come in through ``door`` (the command line
    sets it once for the whole process)."""
    _current.set(Entrance(door=door))


def note_token(prefix: str) -> None:
    """The request being served authenticated with the API token ``prefix``."""
    _current.set(replace(_current.get(), door=Door.API, token_prefix=prefix))


def door_for_path(path: str) -> str:
    if path.startswith("/api/"):
        return Door.API
    if path.startswith("/admin/"):
        return Door.ADMIN
    return Door.WEB


class DoorMiddleware:
    """Every request's changes come in through the web pages, the API or the admin,
    depending on its path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with entered_through(door_for_path(request.path_info)):
            return self.get_response(request)
