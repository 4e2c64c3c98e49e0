"""Writes for users and teams. Each one checks first that the acting user is an
administrator (``check_is_admin``); a user's own language is theirs to choose."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext as _

from vorsprung.accounts.choices import Role
from vorsprung.accounts.models import Team, User
from vorsprung.accounts.permissions import check_is_admin, is_operator
from vorsprung.accounts.tokens import api_token_revoke_all
from vorsprung.core.errors import Conflict, NotAllowed, ValidationError
from vorsprung.core.transactions import service
from vorsprung.core.validation import apply_fields

USER_FIELDS = frozenset(
    {"username", "email", "first_name", "last_name", "role", "team", "is_active", "language"}
)
# Who may use the Django admin and what it lets them do there: superusers decide.
ADMIN_ACCESS_FIELDS = frozenset({"is_staff", "is_superuser", "groups", "user_permissions"})


def _check_admin_access(actor, data: dict) -> dict:
    """Take the admin access fields out of ``data``; only a superuser may change them."""
    access = {name: data.pop(name) for name in list(data) if name in ADMIN_ACCESS_FIELDS}
    if access and not (is_operator(actor) or (actor is not None and actor.is_superuser)):
        raise NotAllowed(_("Only superusers may change who can use the Django admin."))
    return access


def _apply_admin_access(user: User, access: dict) -> None:
    for name in ("is_staff", "is_superuser"):
        if name in access:
            setattr(user, name, bool(access[name]))


def _save_admin_access_relations(user: User, access: dict) -> None:
    for name in ("groups", "user_permissions"):
        if name in access:
            getattr(user, name).set(access[name] or [])


@service
def user_create(*, actor, password: str | None = None, **data) -> User:
    """Create a user; without a password they cannot log in until one is set. Refuses
    anyone but an administrator, a taken username and a password the validators refuse."""
    check_is_admin(actor)
    access = _check_admin_access(actor, data)
    user = User()
    apply_fields(user, data, editable=USER_FIELDS, exclude_from_model_validation={"password"})
    if User.objects.filter(username__iexact=user.username).exists():
        raise ValidationError({"username": [_("This username is taken.")]})
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    _apply_admin_access(user, access)
    user.save()
    _save_admin_access_relations(user, access)
    return user


@service
def user_update(*, actor, user: User, **data) -> User:
    """Change a user's name, e-mail, role, team, language or whether they may log in; a
    superuser also who may use the Django admin (``ADMIN_ACCESS_FIELDS``). Refuses anyone
    but an administrator, deactivating or demoting oneself and a taken username.
    Deactivating a user revokes their API tokens: re-activated, they need new ones."""
    check_is_admin(actor)
    access = _check_admin_access(actor, data)
    user = User.objects.select_for_update().get(pk=user.pk)
    was_active = user.is_active
    is_self = actor is not None and user.pk == actor.pk
    if data.get("is_active") is False and is_self:
        raise Conflict(_("You cannot deactivate yourself."), code="self_deactivation")
    if (
        is_self
        and user.role == Role.ADMIN
        and data.get("role") not in (None, Role.ADMIN)
        and not user.is_superuser
    ):
        raise Conflict(
            _("You cannot take away your own administrator role; ask another administrator."),
            code="self_demotion",
        )
    if access.get("is_superuser") is False and is_self:
        raise Conflict(
            _("You cannot take away your own superuser status; ask another superuser."),
            code="self_demotion",
        )
    apply_fields(user, data, editable=USER_FIELDS)
    if User.objects.filter(username__iexact=user.username).exclude(pk=user.pk).exists():
        raise ValidationError({"username": [_("This username is taken.")]})
    _apply_admin_access(user, access)
    user.save()
    _save_admin_access_relations(user, access)
    if was_active and not user.is_active:
        api_token_revoke_all(actor=actor, user=user)
    return user


@service
def team_create(*, actor, name: str, manager: User | None = None) -> Team:
    """Create a team (administrators only); its name must be new."""
    check_is_admin(actor)
    team = Team(name=(name or "").strip(), manager=manager)
    _check_team(team)
    team.save()
    return team


@service
def team_update(*, actor, team: Team, **data) -> Team:
    """Rename a team or change its manager (administrators only)."""
    check_is_admin(actor)
    team = Team.objects.select_for_update().get(pk=team.pk)
    apply_fields(team, data, editable={"name", "manager"})
    _check_team(team)
    team.save()
    return team


def _check_team(team: Team) -> None:
    if Team.objects.filter(name__iexact=team.name).exclude(pk=team.pk).exists():
        raise ValidationError({"name": [_("A team with this name exists already.")]})
    team.full_clean(validate_unique=False)


@service
def team_delete(*, actor, team: Team) -> None:
    """Delete a team (administrators only); its members stay, without a team."""
    check_is_admin(actor)
    Team.objects.filter(pk=team.pk).delete()


@service
def user_set_language(*, actor, language: str) -> User:
    """The acting user's own interface language; "" follows the browser."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError(
            {
                "language": [
                    _("Choose one of: %(values)s.")
                    % {"values": ", ".join(code for code, _name in settings.LANGUAGES)}
                ]
            }
        )
    user = User.objects.select_for_update().get(pk=actor.pk)
    user.language = language
    user.save(update_fields=["language"])
    return user
