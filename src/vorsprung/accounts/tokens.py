"""API tokens: create, revoke, authenticate. Tokens look like ``vsp_<prefix>_<secret>``;
the database keeps only a SHA-256 hash, so a stolen database reveals no usable token."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vorsprung.accounts.models import ApiToken, User
from vorsprung.accounts.permissions import is_admin
from vorsprung.core.errors import Conflict, NotAllowed, ValidationError

TOKEN_PREFIX = "vsp_"
# Writing last_used_at on every request would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_may_manage_tokens_of(actor, user: User) -> None:
    """A user creates, sees and revokes their own tokens; an administrator anyone's."""
    is_self = actor is not None and actor.is_active and actor.pk == user.pk
    if not (is_self or is_admin(actor)):
        raise NotAllowed(_("You may manage only your own API tokens."))


@transaction.atomic
def api_token_create(*, actor, user: User, name: str = "", expires_at=None) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the record and the token text, which is
    never shown again. Refuses a token for someone else unless the actor is an
    administrator, a deactivated user and an expiry date in the past."""
    check_may_manage_tokens_of(actor, user)
    if not user.is_active:
        raise ValidationError({"user": [_("This user is deactivated.")]})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": [_("The expiry date lies in the past.")]})
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    record = ApiToken.objects.create(
        user=user,
        name=(name or "").strip()[:100],
        prefix=prefix,
        key_hash=_hash(token),
        expires_at=expires_at,
    )
    return record, token


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Stop a token from working; the record stays, to show when it was used. Refuses
    someone else's token unless the actor is an administrator, and a revoked token."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    check_may_manage_tokens_of(actor, token.user)
    if token.revoked_at is not None:
        raise Conflict(_("This token is already revoked."), code="already_revoked")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def api_token_revoke_all(*, actor, user: User) -> int:
    """Revoke every token of ``user`` that is not revoked yet, recording when; returns
    how many. A deactivated user's tokens stay dead when the user is re-activated."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def token_prefix(token: str) -> str:
    """The prefix a token text names (``vsp_<prefix>_<secret>``); it is not secret."""
    return token.strip().removeprefix(TOKEN_PREFIX).split("_", 1)[0][:12]


def api_token_authenticate(token: str) -> User | None:
    """The active user a token belongs to, or None for unknown, revoked or expired tokens."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    record = ApiToken.objects.select_related("user").filter(key_hash=_hash(token.strip())).first()
    if record is None or not record.is_active or not record.user.is_active:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user
