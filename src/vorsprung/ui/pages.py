"""What every page view needs: a record the user may see, and one page of a list."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from vorsprung.core.errors import ValidationError
from vorsprung.core.pagination import Page, keyset_page


def record_or_404(getter, *, user, pk: int):
    """The record from a selector's ``*_get``; one the user may not see does not exist
    for them."""
    try:
        return getter(user=user, id=pk)
    except ObjectDoesNotExist as exc:
        raise Http404(_("No such record.")) from exc


def page_or_first(
    queryset: QuerySet, *, ordering: str, cursor: str | None, limit: int
) -> tuple[Page, str]:
    """The page ``cursor`` points to and no message; for a cursor we did not make, the
    first page and the message saying why."""
    try:
        return keyset_page(queryset, ordering=ordering, cursor=cursor, limit=limit), ""
    except ValidationError as exc:
        first = keyset_page(queryset, ordering=ordering, cursor=None, limit=limit)
        return first, " ".join(exc.messages)


def safe_next(request: HttpRequest, default: str) -> str:
    """Where a form post goes on to: its ``next`` field when that points into this site,
    ``default`` otherwise. Every view that takes ``next`` asks here, so none can be used to
    send a user to another site."""
    url = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default
