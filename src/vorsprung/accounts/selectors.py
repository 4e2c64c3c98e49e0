"""Reads of the accounts app that follow who is asking."""

from django.db.models import QuerySet

from vorsprung.accounts.models import ApiToken, User
from vorsprung.accounts.permissions import is_admin


def api_token_list(
    *, user, owner: User | None = None, everyone: bool = False
) -> QuerySet[ApiToken]:
    """API tokens (never their secrets), newest first. Everyone sees their own; an
    administrator also those of ``owner``, or with ``everyone`` all tokens. Anyone else
    asking for another's tokens gets none."""
    tokens = ApiToken.objects.select_related("user")
    if not is_admin(user):
        return tokens.filter(user_id=user.pk) if owner in (None, user) else tokens.none()
    if owner is not None:
        return tokens.filter(user=owner)
    return tokens if everyone else tokens.filter(user_id=user.pk)


def api_token_get(*, user, id: int) -> ApiToken:
    """A token the user may see (their own; any for an administrator), or
    ``ApiToken.DoesNotExist``."""
    return api_token_list(user=user, everyone=True).get(pk=id)
