"""Writes for users and teams (administrators only; interfaces check that first)."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext as _

from vorsprung.accounts.choices import Role
from vorsprung.accounts.models import Team, User
from vorsprung.accounts.tokens import api_token_revoke_all
from vorsprung.core.errors import Conflict, ValidationError
from vorsprung.core.validation import apply_fields

USER_FIELDS = frozenset(
    {"username", "email", "first_name", "last_name", "role", "team", "is_active", "language"}
)


@transaction.atomic
def user_create(*, actor, password: str | None = None, **data) -> User:
    """Create a user; without a password they cannot log in until one is set."""
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
    user.save()
    return user


@transaction.atomic
def user_update(*, actor, user: User, **data) -> User:
    """Change a user. Deactivating one revokes their API tokens: re-activated, they
    need new ones."""
    user = User.objects.select_for_update().get(pk=user.pk)
    was_active = user.is_active
    if data.get("is_active") is False and user.pk == actor.pk:
        raise Conflict(_("You cannot deactivate yourself."), code="self_deactivation")
    if (
        user.pk == actor.pk
        and user.role == Role.ADMIN
        and data.get("role") not in (None, Role.ADMIN)
        and not user.is_superuser
    ):
        raise Conflict(
            _("You cannot take away your own administrator role; ask another administrator."),
            code="self_demotion",
        )
    apply_fields(user, data, editable=USER_FIELDS)
    if User.objects.filter(username__iexact=user.username).exclude(pk=user.pk).exists():
        raise ValidationError({"username": [_("This username is taken.")]})
    user.save()
    if was_active and not user.is_active:
        api_token_revoke_all(actor=actor, user=user)
    return user


@transaction.atomic
def team_create(*, actor, name: str, manager: User | None = None) -> Team:
    team = Team(name=(name or "").strip(), manager=manager)
    _check_team(team)
    team.save()
    return team


@transaction.atomic
def team_update(*, actor, team: Team, **data) -> Team:
    team = Team.objects.select_for_update().get(pk=team.pk)
    apply_fields(team, data, editable={"name", "manager"})
    _check_team(team)
    team.save()
    return team


def _check_team(team: Team) -> None:
    if Team.objects.filter(name__iexact=team.name).exclude(pk=team.pk).exists():
        raise ValidationError({"name": [_("A team with this name exists already.")]})
    team.full_clean(validate_unique=False)


def team_delete(*, actor, team: Team) -> None:
    """Delete a team; its members stay, without a team."""
    team.delete()


@transaction.atomic
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
