"""Domain errors raised by services. Interfaces translate them: the API into problem
details, the UI into form errors, the CLI into a message and a non-zero exit.

Field-level validation uses Django's ``ValidationError`` with a dict of field → messages.
"""

from django.core.exceptions import ValidationError

__all__ = ["REFUSALS", "Conflict", "NotAllowed", "ValidationError", "refusal_messages"]


class Conflict(Exception):
    """The operation contradicts the record's current state (already converted,
    disallowed status move, stale version)."""

    def __init__(self, message: str, *, code: str = "conflict"):
        super().__init__(message)
        self.message = message
        self.code = code


class NotAllowed(Exception):
    """The acting user may see the record but may not perform this operation."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Everything a service raises to refuse an operation; interfaces catch these together.
REFUSALS = (ValidationError, Conflict, NotAllowed)


def refusal_messages(exc: Exception) -> list[str]:
    """What a refusal says, as the user reads it."""
    if isinstance(exc, Conflict | NotAllowed):
        return [exc.message]
    return exc.messages
