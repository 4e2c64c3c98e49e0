"""The transaction of a service function.

A service is one transaction. A service called by another service joins its caller's
transaction without a savepoint of its own: a savepoint costs two round trips to the
database, and no service catches another's refusal and carries on — when the inner one
fails, the outer one fails with it and everything rolls back. The outermost service keeps
Django's usual behaviour (a transaction, or a savepoint inside someone else's block).
"""

import functools
from contextvars import ContextVar

from django.db import transaction

_in_service: ContextVar[bool] = ContextVar("in_service", default=False)


def service(func):
    """Run ``func`` as one transaction (see the module's description)."""

    @functools.wraps(func)
    def run(*args, **kwargs):
        nested = _in_service.get()
        reset = _in_service.set(True)
        try:
            with transaction.atomic(savepoint=not nested):
                return func(*args, **kwargs)
        finally:
            _in_service.reset(reset)

    return run
